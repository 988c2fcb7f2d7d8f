using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Tasks.Fakes;

namespace ReviewBot.Tests.Tasks;

/// <summary>The placement loop, one pass at a time, on a fake clock and in-memory parts (<see cref="TaskHarness"/>).
/// Ties between equal agents go to the lower node id, so "a" is offered a task before "b".</summary>
public class TaskDispatcherTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AQueuedTask_IsAssignedToTheBestAgent_UnderAFreshLease_AndPushedWithItsCloneToken()
    {
        var h = new TaskHarness();
        var a = h.Connect("a");
        h.Connect("b");
        await h.CreateAsync();

        await h.PassAsync();

        var t = h.Task();
        var (connection, assignment) = Assert.Single(h.Channel.Assigned);
        Assert.Equal((TaskState.Assigned, "a", a), (t.State, t.NodeId, connection));
        Assert.Equal(t.LeaseToken, assignment.LeaseToken);
        Assert.Equal("ghs_cached", assignment.Source.Token);
        Assert.Equal(t.LeaseToken, h.Agents.HeldLease("a", "t1"));
        Assert.Equal(0, h.Queue.Count);
        Assert.Equal([(null, TaskState.Queued), (TaskState.Queued, TaskState.Assigned)], h.Transitions);
    }

    [Fact]
    public async Task AnAssignmentNotAcceptedInTime_GoesToTheNextCandidate_AndTheSilentAgentIsSuspectAndToldToStop()
    {
        var h = new TaskHarness();
        var a = h.Connect("a");
        var b = h.Connect("b");
        await h.CreateAsync();
        await h.PassAsync();
        var first = h.Task().LeaseToken!;

        h.Time.Advance(h.Routing.AcceptTimeout + TimeSpan.FromMilliseconds(1));
        await h.PassAsync();

        var t = h.Task();
        Assert.Equal((TaskState.Assigned, "b"), (t.State, t.NodeId));
        Assert.Equal("t1", Assert.Single(h.Channel.To(b)).TaskId);
        Assert.Contains(t.History, e => e.Note == "agent a did not accept within 5 s");
        Assert.Equal((a, new TaskCancellation("t1", first, "not accepted in time; given to another agent")), Assert.Single(h.Channel.Cancelled));
        Assert.Null(h.Agents.HeldLease("a", "t1"));
        Assert.DoesNotContain(h.Agents.Candidates(), c => c.NodeId == "a");
    }

    [Fact]
    public async Task AnAcceptedAssignment_HasNoDeadlineAnyMore()
    {
        var h = new TaskHarness();
        h.Connect("a");
        h.Connect("b");
        await h.CreateAsync();
        await h.PassAsync();
        Assert.True((await h.AcceptAsync()).Accepted);

        h.Time.Advance(h.Routing.AcceptTimeout * 2);
        await h.PassAsync();

        Assert.Equal((TaskState.Running, "a"), (h.Task().State, h.Task().NodeId));
        Assert.Empty(h.Channel.Cancelled);
        Assert.Contains(h.Agents.Candidates(), c => c.NodeId == "a");
    }

    [Fact]
    public async Task ASuspectAgent_IsLeftOutOfEveryPlacement_UntilItsSuspicionExpires()
    {
        var h = new TaskHarness(new RoutingOptions { RetryNodeAfter = TimeSpan.FromMinutes(5) });
        h.Connect("a", capacity: 2);
        await h.CreateAsync("t1");
        await h.PassAsync();
        h.Time.Advance(h.Routing.AcceptTimeout + TimeSpan.FromMilliseconds(1));
        await h.PassAsync(); // t1 back in the queue, "a" suspect

        await h.CreateAsync("t2");
        await h.PassAsync();
        Assert.Equal(TaskState.Queued, h.Task("t2").State);

        h.Time.Advance(h.Routing.SuspectFor);
        await h.PassAsync();

        Assert.Equal((TaskState.Assigned, "a"), (h.Task("t2").State, h.Task("t2").NodeId));
        Assert.Equal(TaskState.Queued, h.Task("t1").State); // "a" did not answer for t1: not offered it again before RetryNodeAfter
    }

    [Fact]
    public async Task AFailedSend_MakesTheAgentSuspect_AndTheNextCandidateGetsTheTaskInTheSamePass()
    {
        var h = new TaskHarness();
        var a = h.Connect("a");
        var b = h.Connect("b");
        h.Channel.Unreachable[a] = true;
        await h.CreateAsync();

        await h.PassAsync();

        Assert.Equal((TaskState.Assigned, "b"), (h.Task().State, h.Task().NodeId));
        Assert.Single(h.Channel.To(b));
        Assert.Contains(h.Task().History, e => e.Note == "could not reach agent a");
        Assert.DoesNotContain(h.Agents.Candidates(), c => c.NodeId == "a");
        Assert.Null(h.Agents.HeldLease("a", "t1"));
    }

    [Fact]
    public async Task ATaskNotPlacedWithinTheQueueTimeout_Errors_SayingWhatItWaitedFor()
    {
        var h = new TaskHarness(new RoutingOptions { QueueTimeout = TimeSpan.FromMinutes(10) });
        h.Connect("a", 1, "linux");
        await h.CreateAsync(nodeLabels: "gpu");
        await h.PassAsync();
        var waitReason = h.Task().PlacementReason;
        Assert.False(string.IsNullOrEmpty(waitReason));
        Assert.Equal(TaskState.Queued, h.Task().State);

        h.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await h.PassAsync();

        var t = h.Task();
        Assert.Equal(TaskState.Errored, t.State);
        Assert.Equal($"not placed within 00:10:00: {waitReason}", t.Error);
        Assert.Equal(0, h.Queue.Count);
        Assert.Contains((TaskState.Queued, TaskState.Errored), h.Transitions);
    }

    [Fact]
    public async Task TheWaitReason_IsWrittenOnlyWhenItChanges()
    {
        var h = new TaskHarness();
        await h.CreateAsync(nodeLabels: "gpu");
        await h.PassAsync();
        var writes = h.Store.Writes;

        await h.PassAsync();
        await h.PassAsync();

        Assert.Equal(writes, h.Store.Writes);
        Assert.Equal([(null, TaskState.Queued)], h.Transitions);
    }

    [Fact]
    public async Task AHeldTaskMissingFromTwoHeartbeats_GoesBackToTheQueueAsTheNextAttempt_AndIsPlacedAgain()
    {
        var agents = new AgentsOptions();
        var h = new TaskHarness(agents: agents);
        var a = h.Connect("a");
        await h.CreateAsync();
        await h.PassAsync();
        await h.AcceptAsync();

        // What the agent session does with a heartbeat (Agents/AgentSession.HeartbeatAsync).
        async Task HeartbeatAsync()
        {
            h.Time.Advance(agents.HeartbeatInterval);
            Assert.True(h.Agents.Heartbeat(new AgentHeartbeat("a", [], false), a, out var dropped));
            if (dropped.Count > 0) await h.Lifecycle.RequeueLostAsync("a", dropped, "agent a no longer runs the task", None);
        }
        await HeartbeatAsync();
        await HeartbeatAsync();
        Assert.Equal(TaskState.Running, h.Task().State); // held for two intervals only now: one more miss
        await HeartbeatAsync();

        var t = h.Task();
        Assert.Equal((TaskState.Queued, 2, null), (t.State, t.Attempt, t.LeaseToken));
        Assert.Equal("agent a no longer runs the task; attempt 2 of 5", t.History[^1].Note);
        await h.PassAsync();
        Assert.Equal((TaskState.Assigned, 2), (h.Task().State, Assert.Single(h.Channel.To(a).Skip(1)).Attempt));
    }

    [Fact]
    public async Task ARefusal_ReturnsTheTask_AndTheAgentIsNotOfferedItAgain_UntilItFinishesAnotherTask()
    {
        var h = new TaskHarness();
        var a = h.Connect("a", capacity: 2);
        await h.CreateAsync("busy");
        await h.PassAsync();
        await h.AcceptAsync("busy");
        await h.CreateAsync("t1");
        await h.PassAsync();
        var lease = h.Task("t1").LeaseToken!;

        var ack = await h.Lifecycle.AcceptAsync(new TaskAcceptance("a", "t1", lease, false, "at capacity"), None);
        await h.PassAsync();

        Assert.True(ack.Accepted);
        Assert.Equal(TaskState.Queued, h.Task("t1").State);
        Assert.Contains(h.Task("t1").History, e => e.Note == "refused by agent a: at capacity");
        Assert.Equal(2, h.Channel.To(a).Count);

        var busy = h.Task("busy");
        await h.Lifecycle.CompleteAsync(new TaskResult("a", "busy", busy.LeaseToken!, TaskOutcome.Succeeded, 0, [], [], [], null, TimeSpan.FromSeconds(1)), None);
        await h.PassAsync();

        Assert.Equal((TaskState.Assigned, "a"), (h.Task("t1").State, h.Task("t1").NodeId));
    }

    [Fact]
    public async Task AnUntrustedTask_IsPushedWithoutAskingForAToken()
    {
        var h = new TaskHarness();
        h.Connect("a");
        await h.CreateAsync(untrusted: true);

        await h.PassAsync();

        Assert.Null(Assert.Single(h.Channel.Assigned).Assignment.Source.Token);
        Assert.Empty(h.Resolver.Asked);
    }

    [Fact]
    public async Task ACloneTokenStillBeingFetched_DoesNotHoldUpThePlacementOfOtherTasks()
    {
        var h = new TaskHarness();
        h.Connect("a");
        var b = h.Connect("b");
        var fetch = h.Resolver.Pending["t1"] = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.CreateAsync("t1");
        h.Time.Advance(TimeSpan.FromMilliseconds(1)); // t1 has waited longer: placed first
        await h.CreateAsync("t2");

        await h.PassAsync();

        Assert.Equal((TaskState.Assigned, "a"), (h.Task("t1").State, h.Task("t1").NodeId));
        Assert.Equal("t2", Assert.Single(h.Channel.Assigned).Assignment.TaskId);
        Assert.Single(h.Channel.To(b));

        fetch.SetResult("ghs_fresh");
        var sent = await h.Channel.AssignmentOf("t1").WithTimeout(Timeouts.Short, "t1's assignment once its token came");
        Assert.Equal("ghs_fresh", sent.Source.Token);
    }

    [Fact]
    public async Task ACloneTokenFetchedAfterTheAcceptDeadline_IsNotSent()
    {
        var h = new TaskHarness();
        h.Connect("a");
        var fetch = h.Resolver.Pending["t1"] = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.CreateAsync();
        await h.PassAsync();

        h.Time.Advance(h.Routing.AcceptTimeout + TimeSpan.FromMilliseconds(1));
        await h.PassAsync();
        fetch.SetResult("ghs_late");
        await h.Dispatcher.BackgroundPushes.WithTimeout(Timeouts.Short, "the background push to give up");

        Assert.Equal(TaskState.Queued, h.Task().State);
        Assert.Empty(h.Channel.Assigned);
    }

    [Fact]
    public async Task ATaskWhoseLabelFilterDoesNotParse_Errors()
    {
        var h = new TaskHarness();
        h.Connect("a");
        await h.CreateAsync(nodeLabels: "linux &&");

        await h.PassAsync();

        Assert.Equal(TaskState.Errored, h.Task().State);
        Assert.StartsWith("label filter 'linux &&' is invalid", h.Task().Error);
    }

    [Fact]
    public async Task AfterARestart_QueuedTasksArePlacedAgain_AndHeldOnesStayWithTheirAgent()
    {
        var h = new TaskHarness();
        var queued = h.Store.Put(h.NewTask("q"));
        h.Store.Put(h.NewTask("r") with { State = TaskState.Running, NodeId = "a", LeaseToken = "lease-r" });

        await h.Dispatcher.RecoverAsync(None);

        Assert.True(h.Queue.TryGet(queued.Id, out _));
        Assert.Equal("lease-r", h.Agents.HeldLease("a", "r"));
    }
}
