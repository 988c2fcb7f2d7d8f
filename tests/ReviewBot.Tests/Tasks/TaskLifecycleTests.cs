using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Tasks.Fakes;

namespace ReviewBot.Tests.Tasks;

/// <summary>The one writer of task state, on in-memory parts with a fake clock (<see cref="TaskHarness"/>).</summary>
public class TaskLifecycleTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>t1 running on agent "a" (connection conn-a).</summary>
    private static async Task<TaskHarness> RunningAsync()
    {
        var h = new TaskHarness();
        h.Connect("a", capacity: 2);
        await h.CreateAsync();
        await h.PassAsync();
        Assert.True((await h.AcceptAsync()).Accepted);
        return h;
    }

    private static TaskResult Result(ReviewTask t, string? node = null, string? lease = null) =>
        new(node ?? t.NodeId!, t.Id, lease ?? t.LeaseToken!, TaskOutcome.Failed, 1,
            [new("a.sh", 3, null, null, Contracts.Findings.Severity.Warning, "SC2086", "quote it")], [], ["a.sh"], null, TimeSpan.FromSeconds(2));

    [Fact]
    public async Task ANewTask_IsQueued_AndRaisesItsFirstTransition()
    {
        var h = new TaskHarness();

        await h.CreateAsync();

        Assert.True(h.Queue.TryGet("t1", out _));
        Assert.Equal([(null, TaskState.Queued)], h.Transitions);
        Assert.False(await h.Lifecycle.CreateAsync(h.NewTask(), None)); // a redelivery
    }

    [Fact]
    public async Task ATaskWaitingForApproval_IsNotQueued()
    {
        var h = new TaskHarness();

        await h.CreateAsync(state: TaskState.Waiting, untrusted: true);

        Assert.Equal(0, h.Queue.Count);
        Assert.Equal([(null, TaskState.Waiting)], h.Transitions);
    }

    [Fact]
    public async Task AResult_EndsTheTask_AfterItsFindingsAreStored_AndFreesTheAgentsSlot()
    {
        var h = await RunningAsync();

        var ack = await h.Lifecycle.CompleteAsync(Result(h.Task()), None);

        Assert.True(ack.Accepted);
        Assert.Equal((TaskState.Failed, 1), (h.Task().State, h.Task().FindingCount));
        Assert.Equal("SC2086", Assert.Single(h.Store.ResultOf("t1")!.Findings).Rule);
        Assert.Null(h.Agents.HeldLease("a", "t1"));
        Assert.Equal((TaskState.Running, TaskState.Failed), h.Transitions[^1]);
    }

    [Fact]
    public async Task AResultUnderAnotherLease_IsRefused_AndChangesNothing()
    {
        var h = await RunningAsync();
        var refused = new List<string>();
        h.Lifecycle.ResultRefused += refused.Add;
        var writes = h.Store.Writes;

        var ack = await h.Lifecycle.CompleteAsync(Result(h.Task(), lease: "stolen"), None);

        Assert.Equal(new TaskAck(false, TaskTransitions.ResultRefused), ack);
        Assert.Equal(TaskState.Running, h.Task().State);
        Assert.Equal(writes, h.Store.Writes);
        Assert.Null(h.Store.ResultOf("t1"));
        Assert.Equal(["t1"], refused);
        Assert.Equal(1, h.Lifecycle.RefusedResults);
        Assert.NotNull(h.Agents.HeldLease("a", "t1"));
    }

    [Fact]
    public async Task AResultFromAnotherNode_WithTheTasksLease_IsRefused()
    {
        var h = await RunningAsync();
        h.Connect("b");

        var ack = await h.Lifecycle.CompleteAsync(Result(h.Task(), node: "b"), None);

        Assert.False(ack.Accepted);
        Assert.Equal(TaskState.Running, h.Task().State);
    }

    [Fact]
    public async Task AnAcceptanceOfAnAssignmentNoLongerValid_IsRefused_AndFreesTheSlot()
    {
        var h = new TaskHarness();
        h.Connect("a");
        await h.CreateAsync();
        await h.PassAsync();
        var lease = h.Task().LeaseToken!;
        Assert.True(await h.Lifecycle.CancelAsync("t1", "aborted via API", None));
        h.Agents.Hold("a", "t1", lease); // as if the cancellation had not reached this instance's registry

        var ack = await h.Lifecycle.AcceptAsync(new TaskAcceptance("a", "t1", lease, true, null), None);

        Assert.False(ack.Accepted);
        Assert.Null(h.Agents.HeldLease("a", "t1"));
    }

    [Fact]
    public async Task CancellingAHeldTask_FreesItsSlot_AndTellsItsAgentToStop()
    {
        var h = await RunningAsync();
        var lease = h.Task().LeaseToken!;

        Assert.True(await h.Lifecycle.CancelAsync("t1", "aborted via API", None));

        Assert.Equal((TaskState.Cancelled, "aborted via API"), (h.Task().State, h.Task().Error));
        Assert.Equal(("conn-a", new TaskCancellation("t1", lease, "aborted via API")), Assert.Single(h.Channel.Cancelled));
        Assert.Null(h.Agents.HeldLease("a", "t1"));
        Assert.Equal((TaskState.Running, TaskState.Cancelled), h.Transitions[^1]);
    }

    [Fact]
    public async Task CancellingAQueuedTask_TakesItOutOfTheQueue_AndAnEndedOneCannotBeCancelled()
    {
        var h = new TaskHarness();
        await h.CreateAsync();

        Assert.True(await h.Lifecycle.CancelAsync("t1", "aborted via API", None));
        Assert.Equal(0, h.Queue.Count);
        Assert.Empty(h.Channel.Cancelled);
        Assert.False(await h.Lifecycle.CancelAsync("t1", "again", None));
        Assert.False(await h.Lifecycle.CancelAsync("nope", "no such task", None));
    }

    [Fact]
    public async Task ACancellationByAnotherInstance_StopsTheAgentHere_OnlyWhileItHoldsTheTask()
    {
        var h = await RunningAsync();
        var running = h.Task();
        h.Store.Put(TaskTransitions.Cancel(running, "superseded by a newer push (9999999)", TaskHarness.Start).Task!);

        await h.Lifecycle.StopCancelledAsync("t1", None);
        await h.Lifecycle.StopCancelledAsync("t1", None);

        Assert.Equal(("conn-a", new TaskCancellation("t1", running.LeaseToken!, "superseded by a newer push (9999999)")), Assert.Single(h.Channel.Cancelled));
        Assert.Null(h.Agents.HeldLease("a", "t1"));
    }

    [Fact]
    public async Task ANewerPush_CancelsTheOlderRevisionsOfThePullRequest_NotALaterOne_NorAnotherHostsNorAnotherPullRequests()
    {
        var h = new TaskHarness();
        var at = TaskHarness.Start;
        await h.CreateAsync("old", headSha: "1111111", updatedAt: at);
        await h.CreateAsync("later", headSha: "3333333", updatedAt: at.AddMinutes(10));
        await h.CreateAsync("gitlab", headSha: "1111111", host: CodeHostNames.GitLab);
        await h.CreateAsync("other-pr", headSha: "1111111", pullRequest: 8);

        var count = await h.Lifecycle.SupersedeAsync("octo/widgets", 7, "2222222", at.AddMinutes(5), None);

        Assert.Equal(1, count);
        Assert.Equal((TaskState.Cancelled, "superseded by a newer push (2222222)"), (h.Task("old").State, h.Task("old").Error));
        Assert.All(new[] { "later", "gitlab", "other-pr" }, id => Assert.Equal(TaskState.Queued, h.Task(id).State));
    }

    [Fact]
    public async Task AnApproval_QueuesThePullRequestsWaitingTasks_Once()
    {
        var h = new TaskHarness();
        await h.CreateAsync("w1", state: TaskState.Waiting, untrusted: true);
        await h.CreateAsync("w2", state: TaskState.Waiting, untrusted: true, pullRequest: 8);

        var released = await h.Lifecycle.ReleaseWaitingAsync(CodeHostNames.GitHub, "octo/widgets", 7, "approved by octocat (/ok-to-test)", None);
        var again = await h.Lifecycle.ReleaseWaitingAsync(CodeHostNames.GitHub, "octo/widgets", 7, "approved by octocat (/ok-to-test)", None);

        Assert.Equal(["w1"], released.Select(t => t.Id));
        Assert.Empty(again);
        Assert.Equal((TaskState.Queued, true), (h.Task("w1").State, h.Task("w1").Untrusted));
        Assert.True(h.Queue.TryGet("w1", out _));
        Assert.Equal(TaskState.Waiting, h.Task("w2").State);
        Assert.Contains((TaskState.Waiting, TaskState.Queued), h.Transitions);
    }

    [Fact]
    public async Task ARerun_IsCreatedOncePerRequest()
    {
        var h = await RunningAsync();
        await h.Lifecycle.CompleteAsync(Result(h.Task()), None);

        var rerun = await h.Lifecycle.RerunAsync(h.Task(), "rerun via API", "req-1", None);
        var again = await h.Lifecycle.RerunAsync(h.Task(), "rerun via API", "req-1", None);

        Assert.True(rerun!.Created);
        Assert.Equal((TaskState.Queued, 1), (h.Task(rerun.Task.Id).State, h.Task(rerun.Task.Id).Attempt));
        Assert.Equal((rerun.Task.Id, false), (again!.Task.Id, again.Created));
    }

    [Fact]
    public async Task AReRegisteringAgent_IsToldToCancelTasksItNoLongerHolds_AndKeepsThoseItStillHolds()
    {
        var h = await RunningAsync();
        var lease = h.Task().LeaseToken!;
        h.Agents.Release("a", "t1", lease); // as after a restart of this app, before recovery
        var registration = new AgentRegistration("a", "agent a", [], 2, false, "1.0", "linux", "x64", AgentProtocol.Version,
            [new RunningTask("t1", lease), new RunningTask("zombie", "old-lease")]);
        var stale = new List<string>();
        h.Lifecycle.StaleTaskCancelled += stale.Add;

        var cancel = await h.Lifecycle.ReconcileAsync(registration, kept: [], lost: [], None);

        Assert.Equal(["zombie"], cancel);
        Assert.Equal(["zombie"], stale);
        Assert.Equal(lease, h.Agents.HeldLease("a", "t1"));
    }

    [Fact]
    public async Task AReRegisteringAgentThatLostTasks_GetsThemRequeued()
    {
        var h = await RunningAsync();
        var registration = new AgentRegistration("a", "agent a", [], 2, false, "1.0", "linux", "x64", AgentProtocol.Version, []);

        await h.Lifecycle.ReconcileAsync(registration, kept: [], lost: ["t1"], None);

        Assert.Equal((TaskState.Queued, 2), (h.Task().State, h.Task().Attempt));
        Assert.Equal("agent a restarted without task; attempt 2 of 5", h.Task().History[^1].Note);
    }

    [Fact]
    public async Task ANodeComingBackFromADeadInstance_GetsTheTasksTheTableGaveItRequeued()
    {
        var h = new TaskHarness();
        h.Connect("a");
        h.Store.Put(h.NewTask("orphan") with { State = TaskState.Running, NodeId = "a", NodeName = "agent a", LeaseToken = "lease-x" });
        h.Store.Put(h.NewTask("reported") with { State = TaskState.Running, NodeId = "a", NodeName = "agent a", LeaseToken = "lease-y" });
        var registration = new AgentRegistration("a", "agent a", [], 2, false, "1.0", "linux", "x64", AgentProtocol.Version, [new RunningTask("reported", "lease-y")]);

        await h.Lifecycle.ReconcileStoredAsync(registration, None);

        Assert.Equal(TaskState.Queued, h.Task("orphan").State);
        Assert.Equal("agent a came back without the task; attempt 2 of 5", h.Task("orphan").History[^1].Note);
        Assert.Equal(TaskState.Running, h.Task("reported").State);
    }

    [Fact]
    public async Task ANote_IsRecordedOnce_WithoutATransition()
    {
        var h = await RunningAsync();
        var transitions = h.Transitions.Count;

        await h.Lifecycle.NoteOnceAsync("t1", "retry 1 of 2 queued as task job-x", None);
        await h.Lifecycle.NoteOnceAsync("t1", "retry 1 of 2 queued as task job-x", None);

        Assert.Single(h.Task().History, e => e.Note == "retry 1 of 2 queued as task job-x");
        Assert.Equal(transitions, h.Transitions.Count);
    }
}
