using System.Net;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Reporting;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab;

/// <summary>
/// A GitLab merge request end to end on real parts: Azurite, the app on Kestrel, a real agent process, a local bare
/// git repository, the real shellcheck, and the fake GitLab (which checks every discussion position against the
/// diff real git computed).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MergeRequestFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long Project = 42;
    private const int Iid = 5;

    private const string Config = """
        linters:
          shellcheck:
            languages: [".sh"]
            command: ["shellcheck"]
            args: ["-f", "gcc", "{files}"]
            format: gcc
            filter: diff_context
            timeout: 00:01:00
        """;

    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;
    private FakeGitLabServer _gitlab = null!;
    private FakeMergeRequest _mr = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["scripts/build.sh"] = "#!/bin/sh\necho $1\necho \"building\"\n" },
            new Dictionary<string, string?>
            {
                ["scripts/build.sh"] = "#!/bin/sh\nset -e\necho $1\necho \"building\"\nrm -rf $2/out\n",
                ["scripts/new.sh"] = "#!/bin/sh\nfor f in $(ls *.txt); do echo $f; done\n",
            });
        _gitlab = await FakeGitLabServer.StartAsync();
        _owned.Add(_gitlab);
        _gitlab.MaxPerPage = 2; // discussions and notes span several pages
        _mr = _gitlab.AddMergeRequest(Project, Iid);
        SetGitLabDiff();
        _app = await TestApp.StartAsync(azurite, Config, GitLabDeliveries.Settings(_gitlab.Url, FakeGitLabServer.Token));
        _owned.Add(_app);
        var agent = AgentProcess.Start(_app.Url, "linux-box", ["linux"]);
        _owned.Add(agent);
        await _app.WaitForOnlineAsync(agent, Timeouts.Long);
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
    }

    /// <summary>What GitLab computes after a push: diff refs and the diff of merge base...head.</summary>
    private void SetGitLabDiff() =>
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha,
            GitRepo.Git(_repo.BarePath, "diff", "--no-color", "--find-renames", "--unified=3", $"{_repo.BaseSha}...{_repo.HeadSha}"));

    private async Task<ReviewTask> DeliverAndWaitForReport(byte[] hook)
    {
        var response = await GitLabDeliveries.PostAsync(_app, hook);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
        var done = await _app.WaitForTaskAsync(id, t => t.Reporting is { Done: true, Stage: ReportStage.Completed } || t.Reporting.Error is not null,
            Timeouts.Long, "the merge request's report to be published");
        Assert.Null(done.Reporting.Error);
        return done;
    }

    private IReadOnlyList<FakeNote> DiffNotes() => [.. _mr.AllDiscussions().Where(d => !d.IndividualNote).Select(d => d.Notes[0])];

    private FakePosition At(string path, int newLine, int? oldLine = null) =>
        new("text", _repo.BaseSha, _repo.BaseSha, _repo.HeadSha, path, path, oldLine, newLine);

    /// <summary>The head's statuses end in <paramref name="final"/> and never go back. Pending and running may be
    /// skipped: the publisher shows a task at the stage it has reached, and a fast agent outruns it.</summary>
    private void AssertStatuses(string final)
    {
        var states = _gitlab.Statuses.Where(s => s.Sha == _repo.HeadSha).Select(s => s.State).ToList();
        Assert.Equal(final, states[^1]);
        var order = new[] { "pending", "running", final };
        Assert.True(states.Select(s => Array.IndexOf(order, s)).Zip(states.Skip(1).Select(s => Array.IndexOf(order, s))).All(p => p.First >= 0 && p.First < p.Second),
            $"statuses out of order: {string.Join(", ", states)}");
    }

    [Fact]
    public async Task Pushes_AreReviewedOnTheChangedLines_AndTheSecondPushKeepsOneDiscussionPerFinding()
    {
        var first = await DeliverAndWaitForReport(GitLabDeliveries.MergeRequest(_repo, projectId: Project, iid: Iid));

        Assert.Equal(TaskState.Failed, first.State);
        Assert.Equal(_repo.BaseSha, first.BaseSha);
        var positions = DiffNotes().Select(n => (n.Position!, Rule: n.Body.Contains("SC2045") ? "SC2045" : n.Body.Contains("SC2035") ? "SC2035" : "SC2086")).ToList();
        Assert.Equal(5, positions.Count);
        Assert.Contains((At("scripts/build.sh", 3, oldLine: 2), "SC2086"), positions); // context line: both sides
        Assert.Contains((At("scripts/build.sh", 5), "SC2086"), positions);             // added line: new_line only
        Assert.Contains((At("scripts/new.sh", 2), "SC2045"), positions);
        Assert.Equal(3, positions.Count(p => p.Item1 == At("scripts/new.sh", 2)));
        var summary = Assert.Single(_mr.AllDiscussions(), d => d.IndividualNote).Notes[0];
        Assert.StartsWith(SummaryNote.Marker("shellcheck"), summary.Body);
        Assert.Contains(_repo.HeadSha[..8], summary.Body);
        AssertStatuses("failed");
        Assert.All(_gitlab.Statuses, s => Assert.Equal("reviewbot/shellcheck", s.Name));

        // Second push: new.sh fixed, build.sh's two findings moved down a line.
        var oldHead = _repo.HeadSha;
        _repo.Push(new Dictionary<string, string?>
        {
            ["scripts/build.sh"] = "#!/bin/sh\nset -e\nset -u\necho $1\necho \"building\"\nrm -rf $2/out\n",
            ["scripts/new.sh"] = "#!/bin/sh\nfor f in ./*.txt; do echo \"$f\"; done\n",
        });
        SetGitLabDiff();
        var second = await DeliverAndWaitForReport(GitLabDeliveries.MergeRequest(_repo, "merge_request.update.go-gitlab", projectId: Project, iid: Iid,
            edit: j => j["object_attributes"]!["oldrev"] = oldHead));

        Assert.Equal(TaskState.Failed, second.State); // shellcheck exits non-zero on its notes
        var notes = DiffNotes();
        Assert.Equal(5, notes.Count); // the moved findings were not posted again
        Assert.All(notes.Where(n => n.Position!.NewPath == "scripts/new.sh"), n => Assert.True(n.Resolved));
        Assert.All(notes.Where(n => n.Position!.NewPath == "scripts/build.sh"), n => Assert.False(n.Resolved));
        var updated = Assert.Single(_mr.AllDiscussions(), d => d.IndividualNote).Notes[0];
        Assert.Equal(summary.Id, updated.Id);
        Assert.Contains(_repo.HeadSha[..8], updated.Body);
        Assert.Contains("found 2 issues", updated.Body);
        AssertStatuses("success");
        Assert.Contains("0 discussion(s) posted, 2 already there, 3 resolved", second.Reporting.Note);
    }
}
