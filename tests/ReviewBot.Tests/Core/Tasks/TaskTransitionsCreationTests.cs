using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using static ReviewBot.Tests.Core.Tasks.Tasks;

namespace ReviewBot.Tests.Core.Tasks;

/// <summary>Reruns, approval and history notes (pure; fixed clock).</summary>
public class TaskTransitionsCreationTests
{
    /// <summary>A task with every field set away from its default, as a finished run of a job on a pull request.</summary>
    private static ReviewTask Finished() => TaskTransitions.Complete(Running(), Result(), At.AddMinutes(1)).Task! with
    {
        AllowLocal = true, HeadRef = "feature", BaseSha = "base", BaseRef = "main", SourceUpdatedAt = At, InstallationId = 42,
        ProjectId = 9, Report = ReportSettings.Default with { Mode = ReportMode.None }, Reporting = new ReportProgress { Stage = ReportStage.Completed, Done = true, CheckRunId = 5 },
        Job = new JobSpec("deploy", [], new Dictionary<string, string>(), new Dictionary<string, string>(), TimeSpan.FromMinutes(1)),
        JobName = "deploy", JobAttempt = 2, JobFiringKey = "cron:1", Untrusted = true, NodeLabels = "linux", Attempt = 2,
        DeliveryId = "d1", Version = "etag",
    };

    [Fact]
    public void Rerun_CopiesTheWork_AndStartsAFreshRun()
    {
        var original = Finished();

        var rerun = TaskTransitions.Rerun(original, "rerun via API", "req-1", At.AddHours(1)).Task!;

        var expected = original with
        {
            Id = TaskIds.ForRerun(original.Id, "req-1"), Trigger = "rerun via API", DeliveryId = "req-1", CreatedAt = At.AddHours(1),
            Reporting = new ReportProgress(), JobFiringKey = "rerun:req-1", JobAttempt = 0,
            State = TaskState.Queued, Attempt = 1, LeaseToken = null, NodeId = null, NodeName = null, PlacementReason = null,
            QueuedAt = null, StartedAt = null, CompletedAt = null, ExitCode = null, Error = null, FindingCount = 0, UnexpectedCount = 0,
            History = [], Version = null,
        };
        Assert.Equal(expected, rerun);
    }

    /// <summary>The next field added to a task must be decided on here: copied by a rerun, or reset.</summary>
    [Fact]
    public void Rerun_DecidesOnEveryFieldOfATask()
    {
        string[] copied = ["Repository", "CloneUrl", "AllowLocal", "PullRequest", "HeadSha", "HeadRef", "BaseSha", "BaseRef", "Linter",
            "SourceUpdatedAt", "InstallationId", "Host", "ProjectId", "Report", "Job", "JobName", "Untrusted", "NodeLabels", "MaxAttempts"];
        string[] renewed = ["Id", "Trigger", "DeliveryId", "CreatedAt", "Reporting", "JobFiringKey", "JobAttempt", "State", "Attempt",
            "LeaseToken", "NodeId", "NodeName", "PlacementReason", "QueuedAt", "StartedAt", "CompletedAt", "ExitCode", "Error",
            "FindingCount", "UnexpectedCount", "History", "Version"];

        Assert.Equal([.. copied.Concat(renewed).Order()], typeof(ReviewTask).GetProperties().Select(p => p.Name).Order());
    }

    [Fact]
    public void Rerun_KeepsAReportThatWasOff()
    {
        var off = ReportProgress.Off("not reported: no gitlab credentials are configured");

        Assert.Equal(off, TaskTransitions.Rerun(Finished() with { Reporting = off }, "rerun", "req-1", At).Task!.Reporting);
    }

    [Fact]
    public void Rerun_OfALinterTask_HasNoFiringKey() =>
        Assert.Null(TaskTransitions.Rerun(Finished() with { JobName = null, Job = null }, "rerun", "req-1", At).Task!.JobFiringKey);

    [Fact]
    public void Rerun_OfATaskWaitingForApproval_IsRefused() =>
        Assert.False(TaskTransitions.Rerun(Queued() with { State = TaskState.Waiting }, "rerun", "req-1", At).Applies);

    [Fact]
    public void Approve_QueuesAWaitingTask_StillUntrusted()
    {
        var waiting = TaskTransitions.Create(Queued() with { State = TaskState.Waiting, Untrusted = true, PlacementReason = "waits" }, 5, At);

        var t = TaskTransitions.Approve(waiting, "approved by octocat (/ok-to-test)", At.AddMinutes(2)).Task!;

        Assert.Equal((TaskState.Queued, At.AddMinutes(2), null, true), (t.State, t.QueuedAt, t.PlacementReason, t.Untrusted));
        Assert.False(TaskTransitions.Approve(t, "again", At).Applies);
    }

    [Fact]
    public void Note_AddsAHistoryEntryOnce_WithoutChangingTheState()
    {
        var ended = Finished();

        var noted = TaskTransitions.Note(ended, "retry 1 of 2 queued as task job-x", At.AddMinutes(2)).Task!;

        Assert.Equal(ended.State, noted.State);
        Assert.Equal(new TaskEvent(At.AddMinutes(2), TaskState.Failed, "retry 1 of 2 queued as task job-x"), noted.History[^1]);
        Assert.False(TaskTransitions.Note(noted, "retry 1 of 2 queued as task job-x", At).Applies);
    }

    [Fact]
    public void AnUntrustedTasksAssignment_CarriesNoTokenAndNoSecrets()
    {
        var job = new JobSpec("deploy", [], new Dictionary<string, string> { ["A"] = "1" }, new Dictionary<string, string> { ["TOKEN"] = "s3cr3t" }, TimeSpan.FromMinutes(1));
        var trusted = Queued() with { Job = job };

        var given = UntrustedWork.Assignment(trusted, "lease-1", "ghs_token", null, TimeSpan.FromSeconds(5));
        var stripped = UntrustedWork.Assignment(trusted with { Untrusted = true }, "lease-1", "ghs_token", "oauth2", TimeSpan.FromSeconds(5));

        Assert.Equal(("ghs_token", "s3cr3t"), (given.Source.Token, given.Job!.Secrets["TOKEN"]));
        Assert.Null(stripped.Source.Token);
        Assert.Empty(stripped.Job!.Secrets);
        Assert.Equal("1", stripped.Job.Variables["A"]);
        Assert.Equal("oauth2", stripped.Source.TokenUser);
        Assert.False(UntrustedWork.MayClone(trusted with { Untrusted = true }));
    }
}
