using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using static ReviewBot.Tests.Core.Tasks.Tasks;

namespace ReviewBot.Tests.Core.Tasks;

/// <summary>Results, lost agents, cancellation and supersede (pure; fixed clock).</summary>
public class TaskTransitionsEndingsTests
{
    [Fact]
    public void Complete_EndsTheTaskAsTheOutcomeSays_WithItsCounts()
    {
        var t = TaskTransitions.Complete(Running(), Result(), At.AddMinutes(1)).Task!;

        Assert.Equal(TaskState.Failed, t.State);
        Assert.Equal((2, 1, 1), (t.FindingCount, t.UnexpectedCount, t.ExitCode));
        Assert.Equal(At.AddMinutes(1), t.CompletedAt);
        Assert.Equal(At.AddSeconds(2), t.StartedAt);
        Assert.Equal("failed on agent n1: 2 finding(s), exit code 1", t.History[^1].Note);
    }

    [Fact]
    public void Complete_OfATaskNeverAccepted_DatesItsStartFromTheRunsDuration()
    {
        var t = TaskTransitions.Complete(Assigned(), Result(), At.AddMinutes(1)).Task!;

        Assert.Equal(At.AddMinutes(1) - TimeSpan.FromSeconds(3), t.StartedAt);
    }

    [Theory]
    [InlineData("n2", "lease-1")]
    [InlineData("n1", "lease-2")]
    public void Complete_IsRefusedForAnotherNodeOrLease(string node, string lease) =>
        Assert.Equal(TaskTransitions.ResultRefused, TaskTransitions.Complete(Running(), Result(node, lease), At).Refusal);

    [Fact]
    public void Complete_IsRefusedForATaskThatEnded() =>
        Assert.False(TaskTransitions.Complete(Running() with { State = TaskState.Cancelled }, Result(), At).Applies);

    [Fact]
    public void Complete_OfAJobOnARef_LearnsTheCommitTheAgentRan()
    {
        var job = Running() with { HeadSha = "", Job = new JobSpec("deploy", [], new Dictionary<string, string>(), new Dictionary<string, string>(), TimeSpan.FromMinutes(1)) };

        var t = TaskTransitions.Complete(job, Result(outcome: TaskOutcome.Succeeded) with { ResolvedSha = "fedcba98", Steps = [] }, At).Task!;

        Assert.Equal("fedcba98", t.HeadSha);
        Assert.Equal("succeeded on agent n1: 0 of 0 step(s) run, exit code 1", t.History[^1].Note);
    }

    [Fact]
    public void ASkippedRun_SaysWhy()
    {
        var t = TaskTransitions.Complete(Running(), Result(outcome: TaskOutcome.Skipped, findings: 0), At).Task!;

        Assert.Equal(TaskState.Skipped, t.State);
        Assert.Equal("no changed file matches the linter's languages", t.History[^1].Note);
    }

    [Fact]
    public void Requeue_PutsALostAgentsTaskBack_AsTheNextAttempt()
    {
        var t = TaskTransitions.Requeue(Running(), "lease-1", "no heartbeat from agent n1 for 30 s", At.AddMinutes(1)).Task!;

        Assert.Equal(TaskState.Queued, t.State);
        Assert.Equal(2, t.Attempt);
        Assert.Equal(At.AddMinutes(1), t.QueuedAt);
        Assert.Null(t.StartedAt);
        Assert.Null(t.LeaseToken);
        Assert.Null(t.NodeId);
        Assert.Equal("no heartbeat from agent n1 for 30 s; attempt 2 of 3", t.History[^1].Note);
    }

    [Fact]
    public void Requeue_AfterTheLastAttempt_ErrorsTheTask()
    {
        var t = TaskTransitions.Requeue(Running() with { Attempt = 3 }, "lease-1", "agent n1 restarted without task", At).Task!;

        Assert.Equal(TaskState.Errored, t.State);
        Assert.Equal("agent n1 restarted without task; gave up after 3 attempt(s)", t.Error);
        Assert.Null(t.LeaseToken);
    }

    [Fact]
    public void Requeue_IsRefusedUnderAnotherLease_OrOnceTheTaskEnded()
    {
        Assert.False(TaskTransitions.Requeue(Running(), "lease-2", "lost", At).Applies);
        Assert.False(TaskTransitions.Requeue(Running() with { State = TaskState.Succeeded }, "lease-1", "lost", At).Applies);
    }

    [Theory]
    [InlineData(TaskState.Waiting)]
    [InlineData(TaskState.Queued)]
    [InlineData(TaskState.Assigned)]
    [InlineData(TaskState.Running)]
    public void Cancel_EndsATaskThatHasNotEnded_KeepingItsLeaseForTheAgentToBeTold(TaskState state)
    {
        var t = TaskTransitions.Cancel(Running() with { State = state }, "aborted via API", At).Task!;

        Assert.Equal(TaskState.Cancelled, t.State);
        Assert.Equal("aborted via API", t.Error);
        Assert.Equal("lease-1", t.LeaseToken);
    }

    [Fact]
    public void Cancel_IsRefusedOnceTheTaskEnded() =>
        Assert.Equal("the task has already ended (succeeded)", TaskTransitions.Cancel(Running() with { State = TaskState.Succeeded }, "x", At).Refusal);

    [Fact]
    public void Fail_ErrorsATaskInAnyStateThatHasNotEnded_AndDropsItsLease()
    {
        var t = TaskTransitions.Fail(Running(), "too large", At).Task!;

        Assert.Equal((TaskState.Errored, "too large", null), (t.State, t.Error, t.LeaseToken));
        Assert.False(TaskTransitions.Fail(t, "again", At).Applies);
    }

    [Fact]
    public void ANewerPushSupersedesTheOtherRevisionsOfTheSamePullRequestOnTheSameHost()
    {
        var old = Running() with { SourceUpdatedAt = At };

        Assert.True(old.IsSupersededBy(CodeHostNames.GitHub, 7, "99999999", At.AddMinutes(1)));
        Assert.False(old.IsSupersededBy(CodeHostNames.GitHub, 7, "ABC1234DEF", At.AddMinutes(1)));
        Assert.False(old.IsSupersededBy(CodeHostNames.GitHub, 8, "99999999", At.AddMinutes(1)));
        Assert.False(old.IsSupersededBy(CodeHostNames.GitLab, 7, "99999999", At.AddMinutes(1)));
        Assert.False((old with { State = TaskState.Succeeded }).IsSupersededBy(CodeHostNames.GitHub, 7, "99999999", At.AddMinutes(1)));
    }

    [Fact]
    public void ARedeliveredOlderPush_NeverSupersedesALaterRevision()
    {
        var later = Running() with { SourceUpdatedAt = At.AddMinutes(5) };

        Assert.False(later.IsSupersededBy(CodeHostNames.GitHub, 7, "99999999", At));
        Assert.True(later.IsSupersededBy(CodeHostNames.GitHub, 7, "99999999", updatedAt: null));
        Assert.Equal("superseded by a newer push (9999999)", TaskTransitions.SupersededReason("99999999"));
    }
}
