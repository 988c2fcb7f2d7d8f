using ReviewBot.Core.Tasks;
using static ReviewBot.Tests.Core.Tasks.Tasks;

namespace ReviewBot.Tests.Core.Tasks;

/// <summary>Queued → Assigned → Running, and back to the queue (pure; fixed clock).</summary>
public class TaskTransitionsPlacementTests
{
    [Fact]
    public void ANewTaskIsQueued_WithItsAttemptsAndQueueTime()
    {
        var t = Queued();

        Assert.Equal(TaskState.Queued, t.State);
        Assert.Equal(At, t.QueuedAt);
        Assert.Equal(3, t.MaxAttempts);
        Assert.Equal("created by github pull_request.opened #7", Assert.Single(t.History).Note);
    }

    [Fact]
    public void ANewTaskThatMustWaitForApproval_IsStoredWaiting_WithoutAQueueTime()
    {
        var t = TaskTransitions.Create(Queued() with { State = TaskState.Waiting, History = [], Untrusted = true, PlacementReason = "waits for /ok-to-test" }, 5, At);

        Assert.Equal(TaskState.Waiting, t.State);
        Assert.Null(t.QueuedAt);
        Assert.Equal("created by github pull_request.opened #7; waits for /ok-to-test", t.History[^1].Note);
    }

    [Fact]
    public void Assign_GivesTheTaskToTheNodeUnderTheLease_WithTheReason()
    {
        var t = TaskTransitions.Assign(Queued(), "n1", "agent n1", "lease-1", "placed on agent n1", At.AddSeconds(1)).Task!;

        Assert.Equal((TaskState.Assigned, "n1", "agent n1", "lease-1"), (t.State, t.NodeId, t.NodeName, t.LeaseToken));
        Assert.Equal("placed on agent n1", t.PlacementReason);
        Assert.Equal(new TaskEvent(At.AddSeconds(1), TaskState.Assigned, "placed on agent n1"), t.History[^1]);
    }

    [Theory]
    [InlineData(TaskState.Assigned)]
    [InlineData(TaskState.Running)]
    [InlineData(TaskState.Cancelled)]
    [InlineData(TaskState.Waiting)]
    public void Assign_IsRefusedUnlessTheTaskIsQueued(TaskState state)
    {
        var refused = TaskTransitions.Assign(Queued() with { State = state }, "n1", "agent n1", "lease-1", "placed", At);

        Assert.False(refused.Applies);
        Assert.Contains("not queued", refused.Refusal);
    }

    [Fact]
    public void Accept_StartsTheTask_ForTheNodeAndLeaseItWasAssignedUnder()
    {
        var t = TaskTransitions.Accept(Assigned(), "n1", "lease-1", At.AddSeconds(2)).Task!;

        Assert.Equal(TaskState.Running, t.State);
        Assert.Equal(At.AddSeconds(2), t.StartedAt);
        Assert.Equal("accepted by agent n1", t.History[^1].Note);
    }

    [Theory]
    [InlineData("n2", "lease-1")]
    [InlineData("n1", "lease-2")]
    public void Accept_IsRefusedForAnotherNodeOrLease(string node, string lease) =>
        Assert.Equal("the task is assigned under another lease or to another node", TaskTransitions.Accept(Assigned(), node, lease, At).Refusal);

    [Fact]
    public void Accept_IsRefusedOnceTheTaskRuns() =>
        Assert.False(TaskTransitions.Accept(Running(), "n1", "lease-1", At).Applies);

    [Fact]
    public void ReturnToQueue_ClearsTheAssignment_WithoutCountingAnAttempt_AndKeepsTheQueueTime()
    {
        var t = TaskTransitions.ReturnToQueue(Assigned(), "n1", "lease-1", "refused by agent n1: busy", At.AddSeconds(3)).Task!;

        Assert.Equal(TaskState.Queued, t.State);
        Assert.Null(t.LeaseToken);
        Assert.Null(t.NodeId);
        Assert.Null(t.NodeName);
        Assert.Equal(1, t.Attempt);
        Assert.Equal(At, t.QueuedAt);
        Assert.Equal("refused by agent n1: busy", t.PlacementReason);
    }

    [Fact]
    public void ReturnToQueue_IsRefusedForARunningTask_OrAnotherLease()
    {
        Assert.False(TaskTransitions.ReturnToQueue(Running(), "n1", "lease-1", "why", At).Applies);
        Assert.False(TaskTransitions.ReturnToQueue(Assigned(), "n1", "lease-2", "why", At).Applies);
    }

    [Fact]
    public void ExpireAcceptance_ReturnsTheTask_SayingWhoDidNotAnswerInTime()
    {
        var t = TaskTransitions.ExpireAcceptance(Assigned(), "n1", "agent n1", "lease-1", TimeSpan.FromSeconds(2.5), At.AddSeconds(4)).Task!;

        Assert.Equal(TaskState.Queued, t.State);
        Assert.Equal("agent n1 did not accept within 2.5 s", t.PlacementReason);
    }

    [Fact]
    public void ExpireInQueue_ErrorsAQueuedTask_WithWhatItWaitedFor()
    {
        var t = TaskTransitions.ExpireInQueue(Queued(), TimeSpan.FromMinutes(30), "no online agent matches 'gpu'", At.AddMinutes(31)).Task!;

        Assert.Equal(TaskState.Errored, t.State);
        Assert.Equal("not placed within 00:30:00: no online agent matches 'gpu'", t.Error);
        Assert.Equal("no online agent matches 'gpu'", t.PlacementReason);
        Assert.Equal(At.AddMinutes(31), t.CompletedAt);
    }

    [Fact]
    public void ExpireInQueue_LeavesAnAssignedTaskAlone() =>
        Assert.False(TaskTransitions.ExpireInQueue(Assigned(), TimeSpan.FromMinutes(30), "why", At).Applies);

    [Fact]
    public void FailInQueue_ErrorsOnlyAQueuedTask()
    {
        Assert.Equal(TaskState.Errored, TaskTransitions.FailInQueue(Queued(), "label filter 'a &&' is invalid", At).Task!.State);
        Assert.False(TaskTransitions.FailInQueue(Running(), "label filter 'a &&' is invalid", At).Applies);
    }

    [Fact]
    public void ExplainWait_ChangesOnlyThePlacementReason_AndOnlyWhenItDiffers()
    {
        var t = TaskTransitions.ExplainWait(Queued(), "all 2 matching agents are busy").Task!;

        Assert.Equal("all 2 matching agents are busy", t.PlacementReason);
        Assert.Equal(Queued().History, t.History);
        Assert.False(TaskTransitions.ExplainWait(t, "all 2 matching agents are busy").Applies);
        Assert.False(TaskTransitions.ExplainWait(Assigned(), "busy").Applies);
    }
}
