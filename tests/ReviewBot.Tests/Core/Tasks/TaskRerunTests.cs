using System.Reflection;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Tests.Core.Tasks;

/// <summary><see cref="TaskTransitions.Rerun"/>: a rerun keeps what to run and how to report it, and starts the run
/// afresh. Every property of <see cref="ReviewTask"/> must be listed on one side, so a new one is decided, not copied
/// by accident.</summary>
public sealed class TaskRerunTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Kept =
    [
        nameof(ReviewTask.Repository), nameof(ReviewTask.CloneUrl), nameof(ReviewTask.AllowLocal), nameof(ReviewTask.PullRequest),
        nameof(ReviewTask.HeadSha), nameof(ReviewTask.HeadRef), nameof(ReviewTask.BaseSha), nameof(ReviewTask.BaseRef), nameof(ReviewTask.Linter),
        nameof(ReviewTask.SourceUpdatedAt), nameof(ReviewTask.InstallationId), nameof(ReviewTask.Host), nameof(ReviewTask.ProjectId),
        nameof(ReviewTask.Report), nameof(ReviewTask.Job), nameof(ReviewTask.JobName), nameof(ReviewTask.Untrusted), nameof(ReviewTask.NodeLabels),
        nameof(ReviewTask.MaxAttempts), // set again from the routing options when the rerun is created
    ];

    private static readonly string[] Reset =
    [
        nameof(ReviewTask.State), nameof(ReviewTask.Attempt), nameof(ReviewTask.JobAttempt), nameof(ReviewTask.LeaseToken), nameof(ReviewTask.NodeId),
        nameof(ReviewTask.NodeName), nameof(ReviewTask.PlacementReason), nameof(ReviewTask.QueuedAt), nameof(ReviewTask.StartedAt),
        nameof(ReviewTask.CompletedAt), nameof(ReviewTask.ExitCode), nameof(ReviewTask.Error), nameof(ReviewTask.FindingCount),
        nameof(ReviewTask.UnexpectedCount), nameof(ReviewTask.History), nameof(ReviewTask.Version), nameof(ReviewTask.IndexVersions),
        nameof(ReviewTask.TraceParent), // the lifecycle gives the rerun a trace of its own when it creates it
    ];

    private static readonly string[] Made =
    [
        nameof(ReviewTask.Id), nameof(ReviewTask.Reporting), nameof(ReviewTask.Trigger), nameof(ReviewTask.DeliveryId), nameof(ReviewTask.CreatedAt),
        nameof(ReviewTask.JobFiringKey),
    ];

    private static ReviewTask Original() => new()
    {
        Id = "t-1", Repository = "octo/repo", CloneUrl = "https://github.com/octo/repo.git", AllowLocal = true, PullRequest = 7,
        HeadSha = "head", HeadRef = "feature", BaseSha = "base", BaseRef = "main",
        Linter = new LinterSpec("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
        SourceUpdatedAt = Now.AddHours(-2), InstallationId = 42, Host = CodeHostNames.GitLab, ProjectId = 9,
        Report = new ReportSettings(FilterMode.File, FailLevel.Warning, ReportMode.Checks),
        Reporting = new ReportProgress { Stage = ReportStage.Completed, Done = true, CheckRunId = 5, AnnotationsSent = 3 },
        Job = new JobSpec("deploy", [new JobStep("step 1", "make")], new Dictionary<string, string>(), new Dictionary<string, string>(), TimeSpan.FromMinutes(5)),
        JobName = "deploy", JobAttempt = 2, JobFiringKey = "cron:1", Untrusted = true, NodeLabels = "linux",
        State = TaskState.Failed, Attempt = 3, MaxAttempts = 9, LeaseToken = "lease", NodeId = "node-1", NodeName = "box",
        PlacementReason = "placed on box", Trigger = "github pull_request.opened", DeliveryId = "d-1",
        CreatedAt = Now.AddHours(-1), QueuedAt = Now.AddHours(-1), StartedAt = Now.AddMinutes(-50), CompletedAt = Now.AddMinutes(-40),
        ExitCode = 1, Error = "failed", FindingCount = 4, UnexpectedCount = 1,
        History = [new TaskEvent(Now.AddHours(-1), TaskState.Queued, "created")], Version = "\"1\"", IndexVersions = new Dictionary<string, string> { ["all\nrow"] = "\"1\"" },
        TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    };

    private static ReviewTask Rerun(ReviewTask original, string trigger, string requestId, DateTimeOffset now) =>
        TaskTransitions.Rerun(original, trigger, requestId, now).Task!;

    private static object? Value(ReviewTask task, string property) => typeof(ReviewTask).GetProperty(property)!.GetValue(task);

    [Fact]
    public void EveryPropertyOfATask_IsKeptResetOrMadeByARerun()
    {
        var properties = typeof(ReviewTask).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order();

        Assert.Equal(Kept.Concat(Reset).Concat(Made).Order(), properties);
    }

    [Fact]
    public void Rerun_KeepsWhatToRunAndHowToReport()
    {
        var original = Original();

        var rerun = Rerun(original, "rerun via API", "req-1", Now);

        Assert.All(Kept, p => Assert.Equal(Value(original, p), Value(rerun, p)));
    }

    [Fact]
    public void Rerun_StartsTheRunAfresh()
    {
        var fresh = new ReviewTask { Id = "x", Repository = "x", CloneUrl = "x", HeadSha = "x", Linter = Original().Linter, CreatedAt = Now };

        var rerun = Rerun(Original(), "rerun via API", "req-1", Now);

        Assert.All(Reset, p => Assert.Equal(Value(fresh, p), Value(rerun, p)));
    }

    [Fact]
    public void Rerun_IsANewTaskOfThisRequest_WithAFreshReport_AsAFiringOfItsOwn()
    {
        var original = Original();

        var rerun = Rerun(original, "rerun via API", "req-1", Now);

        Assert.Equal((TaskIds.ForRerun(original.Id, "req-1"), "rerun via API", "req-1", Now, "rerun:req-1"),
            (rerun.Id, rerun.Trigger, rerun.DeliveryId, rerun.CreatedAt, rerun.JobFiringKey));
        Assert.Equal(new ReportProgress(), rerun.Reporting);
    }

    [Fact]
    public void Rerun_OfATaskThatIsNotReported_IsNotReportedEither_AndALinterRunHasNoFiring()
    {
        var off = ReportProgress.Off("no GitHub credentials");
        var original = Original() with { Reporting = off, Job = null, JobName = null, JobFiringKey = null };

        var rerun = Rerun(original, "rerun via API", "req-1", Now);

        Assert.Equal(off, rerun.Reporting);
        Assert.Null(rerun.JobFiringKey);
    }

    [Fact]
    public void Rerun_OfATaskWaitingForApproval_IsRefused() =>
        Assert.False(TaskTransitions.Rerun(Original() with { State = TaskState.Waiting }, "rerun via API", "req-1", Now).Applies);
}
