using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Reporting;
using ReviewBot.Functions.Reporting;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab.Reporting;

/// <summary>The GitLab reporter against the fake GitLab, with a diff from a real git repository (an edit with a
/// context line, an added file, a renamed file).</summary>
public sealed class GitLabReporterTests : IAsyncLifetime
{
    private const long Project = 42;
    private const int Iid = 5;
    private GitLabHarness _h = null!;
    private GitRepo _repo = null!;
    private FakeMergeRequest _mr = null!;
    private string _diff = "";

    public async Task InitializeAsync()
    {
        _h = await GitLabHarness.StartAsync();
        _repo = GitRepo.Create(
            new Dictionary<string, string>
            {
                ["build.sh"] = "#!/bin/sh\necho $1\necho \"building\"\n",
                ["lib/old.sh"] = "#!/bin/sh\na=1\nb=2\nc=3\nd=4\n",
            },
            new Dictionary<string, string?>
            {
                ["build.sh"] = "#!/bin/sh\nset -e\necho $1\necho \"building\"\nrm -rf $2/out\n",
                ["new.sh"] = "#!/bin/sh\nfor f in $(ls *.txt); do echo $f; done\n",
                ["lib/old.sh"] = null,
                ["lib/renamed.sh"] = "#!/bin/sh\na=1\nb=2\nc=3\nd=4\necho $a\n",
            });
        _diff = Diff();
        _mr = _h.Fake.AddMergeRequest(Project, Iid);
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha, _diff);
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        _repo.Dispose();
    }

    private string Diff(params string[] paths) =>
        GitRepo.Git(_repo.BarePath, ["diff", "--no-color", "--find-renames", "--unified=3", $"{_repo.BaseSha}...{_repo.HeadSha}", "--", .. paths]);

    private GitLabReporter Reporter() => new(_h.Http, _h.Options);

    private ReviewTask Task(TaskState state = TaskState.Failed) => new()
    {
        Id = "mr-test", Repository = "group/project", CloneUrl = "https://gitlab.example/group/project.git",
        PullRequest = Iid, ProjectId = Project, HeadSha = _repo.HeadSha, BaseSha = _repo.BaseSha, Host = CodeHostNames.GitLab,
        Linter = new LinterSpec("shellcheck", ["shellcheck"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
        Report = new ReportSettings(Filter: FilterMode.DiffContext), State = state, CreatedAt = DateTimeOffset.UtcNow,
    };

    private static readonly Finding Context = new("build.sh", 3, 6, null, Severity.Warning, "SC2086", "Double quote to prevent globbing and word splitting.");
    private static readonly Finding Added = new("build.sh", 5, 8, null, Severity.Warning, "SC2086", "Double quote to prevent globbing and word splitting (2).");
    private static readonly Finding NewFile = new("new.sh", 2, 10, null, Severity.Error, "SC2045", "Iterating over ls output is fragile. Use globs.");
    private static readonly Finding Renamed = new("lib/renamed.sh", 6, 6, null, Severity.Warning, "SC2086", "Double quote to prevent globbing and word splitting (3).");
    private static readonly Finding Range = new("build.sh", 4, null, 5, Severity.Info, "R1", "This block could be simpler.");

    private Task<ReportProgress> Complete(ReviewTask task, string diff, params Finding[] findings) =>
        ReportPipeline.PublishAsync(Reporter(), task, ReportStage.Completed, new ReportInput(new TaskResultDocument(findings, [], [], diff), "https://reviewbot.example/api/tasks/mr-test", 300),
            _ => System.Threading.Tasks.Task.CompletedTask, CancellationToken.None);

    private IReadOnlyList<FakeNote> DiffNotes() => [.. _mr.AllDiscussions().Where(d => !d.IndividualNote).Select(d => d.Notes[0])];

    private IReadOnlyList<FakeNote> SummaryNotes() => [.. _mr.AllDiscussions().Where(d => d.IndividualNote).Select(d => d.Notes[0])];

    [Fact]
    public async Task Completed_PostsOneDiscussionPerFinding_WithGitLabsLineRules()
    {
        var progress = await Complete(Task(), _diff, Context, Added, NewFile, Renamed, Range);

        var byPath = DiffNotes().Select(n => n.Position!).ToList();
        var (b, h) = (_repo.BaseSha, _repo.HeadSha);
        // Context line: both sides. Added lines: new_line only. Renamed file: its old path. Range: its last line.
        Assert.Contains(new FakePosition("text", b, b, h, "build.sh", "build.sh", 2, 3), byPath);
        Assert.Contains(new FakePosition("text", b, b, h, "build.sh", "build.sh", null, 5), byPath);
        Assert.Contains(new FakePosition("text", b, b, h, "new.sh", "new.sh", null, 2), byPath);
        Assert.Contains(new FakePosition("text", b, b, h, "lib/old.sh", "lib/renamed.sh", null, 6), byPath);
        Assert.Equal(5, byPath.Count);
        Assert.Contains(DiffNotes(), n => n.Body.StartsWith("Lines 4–5: ", StringComparison.Ordinal));
        Assert.All(DiffNotes(), n => Assert.True(FingerprintMarker.TryRead(n.Body, out _, out var linter) && linter == "shellcheck"));

        var summary = Assert.Single(SummaryNotes());
        Assert.StartsWith(SummaryNote.Marker("shellcheck"), summary.Body);
        Assert.Contains("found 5 issues", summary.Body);
        var status = Assert.Single(_h.Fake.Statuses);
        Assert.Equal(("reviewbot/shellcheck", "failed", _repo.HeadSha, Project), (status.Name, status.State, status.Sha, status.ProjectId));
        Assert.Equal("https://reviewbot.example/api/tasks/mr-test", status.TargetUrl);
        Assert.Contains("5 discussion(s) posted", progress.Note);
    }

    [Fact]
    public async Task APositionGitLabRefuses_IsListedInTheSummary_AndTheOthersArePosted()
    {
        // GitLab's diff lacks new.sh (as if its diff were computed differently): that discussion gets GitLab's 400.
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha, Diff("build.sh"));

        var progress = await Complete(Task(), _diff, Added, NewFile);

        var posted = Assert.Single(DiffNotes());
        Assert.Equal(5, posted.Position!.NewLine);
        var summary = Assert.Single(SummaryNotes()).Body;
        Assert.Contains("1 finding could not be placed as line comments", summary);
        Assert.Contains("`new.sh:2`", summary);
        Assert.Contains("must be a valid line code", summary);
        Assert.Contains("1 refused", progress.Note);
    }

    [Fact]
    public async Task PublishingAgain_PostsNothingTwice_AndEditsTheSummaryInPlace()
    {
        await Complete(Task(), _diff, Context, Added, NewFile);
        var progress = await Complete(Task(), _diff, Context, Added, NewFile);

        Assert.Equal(3, DiffNotes().Count);
        Assert.Single(SummaryNotes());
        Assert.Contains("0 discussion(s) posted, 3 already there", progress.Note);
        Assert.Contains("summary note updated", progress.Note);
        Assert.Single(_h.Fake.Statuses); // the same state again is refused by GitLab and counts as done
    }

    [Fact]
    public async Task FindingGone_ItsDiscussionIsResolved_NotDeleted()
    {
        await Complete(Task(), _diff, Added, NewFile);

        var progress = await Complete(Task(), _diff, Added);

        var notes = DiffNotes();
        Assert.Equal(2, notes.Count);
        Assert.True(notes.Single(n => n.Position!.NewPath == "new.sh").Resolved);
        Assert.False(notes.Single(n => n.Position!.NewPath == "build.sh").Resolved);
        Assert.Contains("1 resolved", progress.Note);
    }

    [Fact]
    public async Task WithoutTheAgentsDiff_TheMergeRequestDiffsFromTheApiPlaceTheFindings()
    {
        _h.Fake.MaxPerPage = 1; // every page of the diffs is read

        await Complete(Task(), diff: null!, Context, NewFile, Renamed);

        Assert.Equal(3, DiffNotes().Count);
        Assert.Contains(DiffNotes(), n => n.Position == new FakePosition("text", _repo.BaseSha, _repo.BaseSha, _repo.HeadSha, "build.sh", "build.sh", 2, 3));
        Assert.Contains(_h.Fake.Requests, r => r.PathAndQuery.Contains("/diffs?") && r.PathAndQuery.Contains("page=3"));
    }

    [Fact]
    public async Task QueuedAndRunning_SetPendingThenRunning()
    {
        var task = Task(TaskState.Queued);
        var input = new ReportInput(null, null, 300);
        await ReportPipeline.PublishAsync(Reporter(), task, ReportStage.Queued, input, _ => System.Threading.Tasks.Task.CompletedTask, CancellationToken.None);
        await ReportPipeline.PublishAsync(Reporter(), task with { State = TaskState.Running, NodeName = "box" }, ReportStage.InProgress, input, _ => System.Threading.Tasks.Task.CompletedTask, CancellationToken.None);

        Assert.Equal(["pending", "running"], _h.Fake.Statuses.Select(s => s.State));
        Assert.Equal("Running on box.", _h.Fake.Statuses[1].Description);
    }
}
