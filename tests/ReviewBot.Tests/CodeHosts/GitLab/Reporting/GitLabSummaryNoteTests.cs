using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Reporting;
using ReviewBot.Functions.Reporting;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab.Reporting;

/// <summary>The merge request's one summary note (<c>summary: on</c>) on the fake GitLab, through three pushes of a real
/// git repository: posted once, edited in place (PUT), "all clear" once fixed, and never moved back by a late run of the
/// older push.</summary>
public sealed class GitLabSummaryNoteTests : IAsyncLifetime
{
    private const long Project = 42;
    private const int Iid = 6;
    private static readonly DateTimeOffset FirstPush = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private GitLabHarness _h = null!;
    private GitRepo _repo = null!;
    private FakeMergeRequest _mr = null!;

    public async Task InitializeAsync()
    {
        _h = await GitLabHarness.StartAsync();
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["build.sh"] = "#!/bin/sh\n" },
            new Dictionary<string, string?> { ["build.sh"] = "#!/bin/sh\necho $1\n" });
        _mr = _h.Fake.AddMergeRequest(Project, Iid);
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha, _repo.Diff());
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        _repo.Dispose();
    }

    private ReviewTask Task(string head, DateTimeOffset pushedAt, TaskState state) => new()
    {
        Id = $"mr-{head[..7]}", Repository = "group/project", CloneUrl = "https://gitlab.example/group/project.git",
        PullRequest = Iid, ProjectId = Project, HeadSha = head, BaseSha = _repo.BaseSha, Host = CodeHostNames.GitLab,
        Linter = new LinterSpec("shellcheck", ["shellcheck"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
        Report = ReportSettings.Default with { Summary = SummaryMode.On }, State = state, CreatedAt = pushedAt, SourceUpdatedAt = pushedAt,
    };

    private Task<ReportProgress> Complete(ReviewTask task, string diff, params Finding[] findings) =>
        ReportPipeline.PublishAsync(new GitLabReporter(_h.Http, _h.Options), task, ReportStage.Completed,
            new ReportInput(new TaskResultDocument(findings, [], [], diff), $"https://reviewbot.example/api/tasks/{task.Id}", 300),
            _ => System.Threading.Tasks.Task.CompletedTask, CancellationToken.None);

    private IReadOnlyList<FakeNote> Summaries() =>
        [.. _mr.AllDiscussions().SelectMany(d => d.Notes).Where(n => PullRequestSummary.IsSummary(n.Body))];

    private static readonly Finding Unquoted = new("build.sh", 2, 6, null, Severity.Info, "SC2086", "Double quote to prevent globbing and word splitting.");

    [Fact]
    public async Task Pushes_EditTheOneSummaryNoteInPlace_FromNewToFixedToAllClear_AndALateOldRunDoesNotMoveItBack()
    {
        var first = Task(_repo.HeadSha, FirstPush, TaskState.Failed);
        var said = await Complete(first, _repo.Diff(), Unquoted);

        var posted = Assert.Single(Summaries());
        Assert.Contains("summary note posted", said.Note);
        Assert.Contains($"At `{first.HeadSha[..7]}`: **1 new**, 0 fixed, 0 outstanding finding.", posted.Body);
        // The per-linter note (the commit status's long text) is another note, not mistaken for the summary.
        Assert.Contains(_mr.AllDiscussions().SelectMany(d => d.Notes), n => SummaryNote.IsFor(n.Body, "shellcheck"));

        var head2 = _repo.Push(new Dictionary<string, string?> { ["build.sh"] = "#!/bin/sh\necho \"$1\"\n" });
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, head2, _repo.Diff());
        await Complete(Task(head2, FirstPush.AddMinutes(3), TaskState.Succeeded), _repo.Diff());

        var fixedNote = Assert.Single(Summaries());
        Assert.Equal(posted.Id, fixedNote.Id);
        Assert.Equal(1, fixedNote.Edits);
        Assert.Contains($"At `{head2[..7]}`: **0 new**, 1 fixed, 0 outstanding findings.", fixedNote.Body);
        Assert.Contains("| shellcheck | [success]", fixedNote.Body);

        // A third push with nothing new, nothing fixed: the same note says all clear.
        var head3 = _repo.Push(new Dictionary<string, string?> { ["build.sh"] = "#!/bin/sh\necho \"$1\"\necho done\n" });
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, head3, _repo.Diff());
        await Complete(Task(head3, FirstPush.AddMinutes(6), TaskState.Succeeded), _repo.Diff());

        var clear = Assert.Single(Summaries());
        Assert.Equal(posted.Id, clear.Id);
        Assert.Equal(2, clear.Edits);
        Assert.Contains($"At `{head3[..7]}`: all clear, no findings.", clear.Body);

        // The first push's run reports again late (a retried report): the note stays at the newer head.
        await Complete(first, GitRepo.Git(_repo.BarePath, ["diff", "--no-color", "--unified=3", $"{_repo.BaseSha}...{first.HeadSha}"]), Unquoted);

        var after = Assert.Single(Summaries());
        Assert.Equal(clear.Body, after.Body);
        Assert.Equal(2, after.Edits);
    }
}
