using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Tests.Reporting;

/// <summary>What the pipeline decides once for every code host, against a recording host: which changed lines, whether
/// line comments are posted, what the summary says about the ones that were not.</summary>
public class ReportPipelineTests
{
    private const string Base = "1111111111111111111111111111111111111111";
    private const string Moved = "3333333333333333333333333333333333333333";

    /// <summary>The agent's diff adds line 2 of app.sh; the host's own diff adds line 3.</summary>
    private const string AgentDiff = "diff --git a/app.sh b/app.sh\nindex 1111111..2222222 100644\n--- a/app.sh\n+++ b/app.sh\n@@ -1,2 +1,3 @@\n #!/bin/sh\n+echo $1\n echo done\n";

    private static readonly ChangedLines HostLines = ChangedLines.FromGitDiff(
        "diff --git a/app.sh b/app.sh\nindex 1111111..2222222 100644\n--- a/app.sh\n+++ b/app.sh\n@@ -1,2 +1,3 @@\n #!/bin/sh\n echo done\n+echo $1\n");

    private static ReviewTask Task(TaskState state = TaskState.Failed, string? baseSha = Base, int? pullRequest = 7) => new()
    {
        Id = "t", Repository = "acme/app", CloneUrl = "https://example.com/acme/app.git", PullRequest = pullRequest,
        HeadSha = "2222222222222222222222222222222222222222", BaseSha = baseSha, Host = "fake", State = state, CreatedAt = DateTimeOffset.UnixEpoch,
        Linter = new LinterSpec("sc", ["sc"], [], new Dictionary<string, string>(), null, "gcc", [], TimeSpan.FromMinutes(1)),
    };

    private static readonly Finding OnLine2 = new("app.sh", 2, null, null, Severity.Warning, "SC2086", "Double quote");
    private static readonly Finding OnLine3 = new("app.sh", 3, null, null, Severity.Warning, "SC2086", "Quote this too");

    private static ReportInput Input(string? diff, params Finding[] findings) => new(new TaskResultDocument(findings, [], ["app.sh"], diff), null, 300);

    private static Task<ReportProgress> CompleteAsync(RecordingHost host, ReviewTask task, ReportInput input) =>
        ReportPipeline.PublishAsync(host, task, ReportStage.Completed, input, _ => System.Threading.Tasks.Task.CompletedTask, CancellationToken.None);

    [Fact]
    public async Task TheAgentsDiff_IsUsed_WhenTheTasksBaseIsTheHostsBase()
    {
        var host = new RecordingHost(Base);

        await CompleteAsync(host, Task(), Input(AgentDiff, OnLine2, OnLine3));

        Assert.False(host.FilesRead);
        Assert.Equal([2], host.Completed!.Plan.Commentable.Select(f => f.Comment!.Line));
    }

    [Theory]
    [InlineData(Moved)]
    [InlineData(null)]
    public async Task TheHostsDiff_IsRead_WhenTheTasksBaseIsNotTheHostsBase(string? taskBase)
    {
        var host = new RecordingHost(Base);

        await CompleteAsync(host, Task(baseSha: taskBase), Input(AgentDiff, OnLine2, OnLine3));

        Assert.True(host.FilesRead);
        Assert.Equal([3], host.Completed!.Plan.Commentable.Select(f => f.Comment!.Line));
    }

    [Fact]
    public async Task WithoutAnAgentDiff_TheHostsDiffIsRead_WithoutAskingForTheBase()
    {
        var host = new RecordingHost(Base);

        await CompleteAsync(host, Task(), Input(null, OnLine3));

        Assert.True(host.FilesRead);
        Assert.False(host.BaseRead);
    }

    [Fact]
    public async Task ARunWithoutFindings_ReadsNoDiffAtAll()
    {
        var host = new RecordingHost(Base);

        await CompleteAsync(host, Task(TaskState.Succeeded), Input(AgentDiff));

        Assert.False(host.BaseRead);
        Assert.False(host.FilesRead);
    }

    [Fact]
    public async Task OutsideAChangeRequest_TheAgentsDiffIsAllThereIs()
    {
        var host = new RecordingHost(Base);

        await CompleteAsync(host, Task(pullRequest: null), Input(AgentDiff, OnLine2, OnLine3));

        Assert.Equal(0, host.ChangeRequests);
        Assert.Equal([2], host.Completed!.Plan.Commentable.Select(f => f.Comment!.Line));
        Assert.Null(host.Commented); // no change request: no line comments
    }

    [Theory]
    [InlineData(TaskState.Cancelled)]
    [InlineData(TaskState.Errored)]
    [InlineData(TaskState.TimedOut)]
    [InlineData(TaskState.Skipped)]
    public async Task LineComments_AreLeftAlone_WhenTheLinterDidNotRun(TaskState state)
    {
        var host = new RecordingHost(Base);

        var progress = await CompleteAsync(host, Task(state), Input(AgentDiff, OnLine2));

        Assert.Null(host.Commented);
        Assert.NotNull(host.Completed);
        Assert.Equal("completed", progress.Note);
    }

    [Fact]
    public async Task LineComments_AreNotPosted_WhenTheReportPostsChecksOnly()
    {
        var host = new RecordingHost(Base);

        await CompleteAsync(host, Task() with { Report = ReportSettings.Default with { Mode = ReportMode.Checks } }, Input(AgentDiff, OnLine2));

        Assert.Null(host.Commented);
    }

    [Fact]
    public async Task RefusedAndOverflowingComments_AreNamedInTheSummaryNotes_AndTheNoteSaysBothParts()
    {
        var host = new RecordingHost(Base)
        {
            Comments = plan => new CommentOutcome(0, 0, 0, 0, [new RefusedComment(plan.Commentable.First(), "line must be part of the diff")], [plan.Commentable.First()])
            {
                Said = "0 comment(s) posted",
            },
        };

        var progress = await CompleteAsync(host, Task(), Input(AgentDiff, OnLine2));

        Assert.Equal(
        [
            "1 finding could not be placed as line comments:",
            "- `app.sh:2` Double quote — Fake: line must be part of the diff",
            "1 more finding not posted as line comments (limit per run):",
            "- `app.sh:2` Double quote",
        ], host.Completed!.Notes);
        Assert.Equal("completed; 0 comment(s) posted", progress.Note);
    }

    [Fact]
    public async Task OverflowTheHostListedItself_IsNotRepeated_AndWhyNoneIsSaid()
    {
        var host = new RecordingHost(Base)
        {
            Comments = plan => CommentOutcome.None("No line comments: moved on.") with { Overflow = [plan.Commentable.First()], OverflowListed = true },
        };

        await CompleteAsync(host, Task(), Input(AgentDiff, OnLine2));

        Assert.Equal(["No line comments: moved on."], host.Completed!.Notes);
    }

    [Theory]
    [InlineData(ReportStage.ActionRequired)]
    [InlineData(ReportStage.Queued)]
    [InlineData(ReportStage.InProgress)]
    public async Task Statuses_ArePostedOnlyWhenTheReportPostsChecks(ReportStage stage)
    {
        var host = new RecordingHost(Base);
        var reviewOnly = Task(TaskState.Queued) with { Report = ReportSettings.Default with { Mode = ReportMode.Review } };

        await ReportPipeline.PublishAsync(host, reviewOnly, stage, new ReportInput(null, null, 300), _ => System.Threading.Tasks.Task.CompletedTask, CancellationToken.None);
        Assert.Empty(host.Statuses);

        await ReportPipeline.PublishAsync(host, Task(TaskState.Queued), stage, new ReportInput(null, null, 300), _ => System.Threading.Tasks.Task.CompletedTask, CancellationToken.None);
        Assert.Equal([stage], host.Statuses);
    }

    /// <summary>A code host that records what the pipeline asked of it.</summary>
    private sealed class RecordingHost(string hostBase) : ICodeHostReporter
    {
        public string HostBase { get; } = hostBase;
        public string Host => "fake";
        public string DisplayName => "Fake";
        public bool Enabled => true;

        public Func<ReportPlan, CommentOutcome> Comments { get; init; } = _ => new CommentOutcome(0, 0, 0, 0, [], []) { Said = "" };
        public List<ReportStage> Statuses { get; } = [];
        public int ChangeRequests { get; private set; }
        public bool BaseRead { get; private set; }
        public bool FilesRead { get; private set; }
        public CompletedReport? Commented { get; private set; }
        public CompletedReport? Completed { get; private set; }

        public Task<ReportProgress> ActionRequiredAsync(ReviewTask task, string? taskLink, CancellationToken ct) => Status(task, ReportStage.ActionRequired);
        public Task<ReportProgress> QueuedAsync(ReviewTask task, string? taskLink, CancellationToken ct) => Status(task, ReportStage.Queued);
        public Task<ReportProgress> InProgressAsync(ReviewTask task, string? taskLink, CancellationToken ct) => Status(task, ReportStage.InProgress);

        private Task<ReportProgress> Status(ReviewTask task, ReportStage stage)
        {
            Statuses.Add(stage);
            return System.Threading.Tasks.Task.FromResult(task.Reporting);
        }

        public Task<HostChange?> ChangeAsync(ReviewTask task, CancellationToken ct)
        {
            ChangeRequests++;
            return System.Threading.Tasks.Task.FromResult<HostChange?>(new Change(this));
        }

        public Task<CommentOutcome> CommentAsync(ReviewTask task, CompletedReport report, CancellationToken ct)
        {
            Commented = report;
            return System.Threading.Tasks.Task.FromResult(Comments(report.Plan));
        }

        public Task<ReportProgress> CompletedAsync(ReviewTask task, CompletedReport report, Func<ReportProgress, Task> checkpoint, CancellationToken ct)
        {
            Completed = report;
            return System.Threading.Tasks.Task.FromResult(task.Reporting with { Note = "completed" });
        }

        private sealed class Change(RecordingHost host) : HostChange
        {
            public override Task<string?> BaseShaAsync(CancellationToken ct)
            {
                host.BaseRead = true;
                return System.Threading.Tasks.Task.FromResult<string?>(host.HostBase);
            }

            public override Task<ChangedLines> FilesAsync(CancellationToken ct)
            {
                host.FilesRead = true;
                return System.Threading.Tasks.Task.FromResult(HostLines);
            }
        }
    }
}
