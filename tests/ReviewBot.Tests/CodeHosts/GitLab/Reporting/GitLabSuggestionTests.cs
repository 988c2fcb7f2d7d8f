using System.Net;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab.Reporting;

/// <summary>Suggested fixes on GitLab end to end: a real <c>shfmt -d</c> run by a real agent, each fix a discussion on
/// its last line holding <c>```suggestion:-N+0</c>, which applied as GitLab applies it gives the formatted file.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitLabSuggestionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long Project = 42;
    private const int Iid = 5;

    private const string Config = """
        linters:
          shfmt:
            languages: [".sh"]
            command: ["shfmt"]
            args: ["-d", "{files}"]
            format: diff
            timeout: 00:01:00
        """;

    private static readonly string Head = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "linters", "shfmt", "build.sh.txt"));
    private static readonly string Formatted = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "linters", "shfmt", "build.formatted.sh.txt"));

    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;
    private FakeMergeRequest _mr = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["scripts/build.sh"] = "#!/bin/sh\n" }, new Dictionary<string, string?> { ["scripts/build.sh"] = Head });
        var gitlab = await FakeGitLabServer.StartAsync();
        _owned.Add(gitlab);
        _mr = gitlab.AddMergeRequest(Project, Iid);
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha,
            GitRepo.Git(_repo.BarePath, "diff", "--no-color", "--find-renames", "--unified=3", $"{_repo.BaseSha}...{_repo.HeadSha}"));
        _app = await TestApp.StartAsync(azurite, Config, GitLabDeliveries.Settings(gitlab.Url, FakeGitLabServer.Token));
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

    [Fact]
    public async Task EachFix_IsASuggestionOnItsLastLine_ThatAppliedGivesTheFormattedFile()
    {
        var response = await GitLabDeliveries.PostAsync(_app, GitLabDeliveries.MergeRequest(_repo, projectId: Project, iid: Iid));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
        var done = await _app.WaitForTaskAsync(id, t => t.Reporting is { Done: true, Stage: ReportStage.Completed } || t.Reporting.Error is not null,
            Timeouts.Long, "the merge request's report to be published");
        Assert.Null(done.Reporting.Error);

        var notes = _mr.AllDiscussions().Where(d => !d.IndividualNote).Select(d => d.Notes[0]).OrderBy(n => n.Position!.NewLine).ToList();
        Assert.Equal([3, 7, 9], notes.Select(n => n.Position!.NewLine));
        Assert.Contains("```suggestion:-2+0\nfor i in 1 2 3; do\n\techo \"$i\"\n```", notes[1].Body);
        Assert.Equal(Formatted, notes.AsEnumerable().Reverse().Aggregate(Head, (text, note) => ApplyLikeGitLab(text, note)));
    }

    /// <summary>GitLab's "Apply suggestion": the lines from N above to M below the note's line become the block's text.</summary>
    private static string ApplyLikeGitLab(string text, FakeNote note)
    {
        var open = note.Body.IndexOf("```suggestion:-", StringComparison.Ordinal);
        var header = note.Body[(open + 15)..note.Body.IndexOf('\n', open)];
        var above = int.Parse(header[..header.IndexOf('+')]);
        var below = int.Parse(header[(header.IndexOf('+') + 1)..]);
        var start = note.Body.IndexOf('\n', open) + 1;
        var block = note.Body[start..note.Body.IndexOf("```", start, StringComparison.Ordinal)];
        var lines = text[..^1].Split('\n').ToList();
        var line = note.Position!.NewLine!.Value;
        lines.RemoveRange(line - above - 1, above + below + 1);
        lines.InsertRange(line - above - 1, block.Length == 0 ? [] : block[..^1].Split('\n'));
        return string.Join('\n', lines) + "\n";
    }
}
