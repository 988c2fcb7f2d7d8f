using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Tasks;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Tasks;

public class TaskSupervisorTests
{
    private readonly FakeAgentServer _server = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FakeRunner>> _started = new();
    private int _created;

    private TaskCompletionSource<FakeRunner> Started(string taskId) =>
        _started.GetOrAdd(taskId, _ => new TaskCompletionSource<FakeRunner>(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskSupervisor NewSupervisor(int capacity = 1) =>
        new(_server, "node-1", a =>
        {
            Interlocked.Increment(ref _created);
            return new FakeRunner(a, Started(a.TaskId));
        }, new TaskSupervisorOptions { Capacity = capacity, DeliveryTimeout = TimeSpan.FromSeconds(30), HardStopDeliveryTimeout = TimeSpan.FromMilliseconds(200) }, TimeProvider.System, NullLogger<TaskSupervisor>.Instance);

    private static TaskAssignment Assignment(string taskId, string lease = "lease-1", string format = "gcc") =>
        new(taskId, lease, 1,
            new SourceSpec("acme/widgets", "file:///r", "head", null, "base", null, 1, null),
            new LinterSpec("shellcheck", ["shellcheck"], ["{files}"], new Dictionary<string, string>(), null, format, [".sh"], TimeSpan.FromMinutes(1)),
            TimeSpan.FromSeconds(5));

    private async Task<FakeRunner> AssignAndStartAsync(TaskSupervisor supervisor, string taskId)
    {
        await supervisor.AssignTask(Assignment(taskId));
        return await Started(taskId).Task.Within();
    }

    private TaskAcceptance AnswerFor(string taskId) => _server.Acceptances.Last(a => a.TaskId == taskId);

    [Fact]
    public async Task AcceptsAndRunsWhenThereIsRoom()
    {
        var supervisor = NewSupervisor();

        await AssignAndStartAsync(supervisor, "t1");

        var answer = AnswerFor("t1");
        Assert.True(answer.Accepted);
        Assert.Equal(("node-1", "lease-1"), (answer.NodeId, answer.LeaseToken));
        Assert.Equal([new RunningTask("t1", "lease-1")], supervisor.RunningTasks);
    }

    [Fact]
    public async Task RefusesWhenFullAndAcceptsAgainOnceAResultIsDelivered()
    {
        var supervisor = NewSupervisor(capacity: 1);
        var first = await AssignAndStartAsync(supervisor, "t1");

        await supervisor.AssignTask(Assignment("t2"));
        await _server.WaitForAsync(s => s.Acceptances.Any(a => a.TaskId == "t2"));
        Assert.False(AnswerFor("t2").Accepted);
        Assert.Contains("full (1/1 tasks)", AnswerFor("t2").Reason);

        first.Finish(TaskOutcome.Succeeded);
        await supervisor.WhenIdleAsync(CancellationToken.None).Within();
        await AssignAndStartAsync(supervisor, "t3");
        Assert.True(AnswerFor("t3").Accepted);
    }

    [Fact]
    public async Task AcceptsAJobWhoseLinterPartIsEmpty()
    {
        var supervisor = NewSupervisor();
        var job = Assignment("j1", format: "none") with { Linter = new LinterSpec("nightly", [], [], new Dictionary<string, string>(), null, "none", [], TimeSpan.FromMinutes(1)) };

        await supervisor.AssignTask(job with { Job = new JobSpec("nightly", [new JobStep("build", "true")], new Dictionary<string, string>(), new Dictionary<string, string>(), TimeSpan.FromMinutes(1)) });
        await Started("j1").Task.Within();

        Assert.True(AnswerFor("j1").Accepted);
    }

    [Fact]
    public async Task RunsUpToCapacityTasksAtOnce()
    {
        var supervisor = NewSupervisor(capacity: 2);

        await AssignAndStartAsync(supervisor, "t1");
        await AssignAndStartAsync(supervisor, "t2");
        await supervisor.AssignTask(Assignment("t3"));
        await _server.WaitForAsync(s => s.Acceptances.Any(a => a.TaskId == "t3"));

        Assert.Equal(2, supervisor.RunningTasks.Count);
        Assert.False(AnswerFor("t3").Accepted);
    }

    [Fact]
    public async Task RefusesAnUnknownOutputFormat()
    {
        var supervisor = NewSupervisor();

        await supervisor.AssignTask(Assignment("t1", format: "junit-xml"));
        await _server.WaitForAsync(s => s.Acceptances.Count == 1);

        Assert.False(AnswerFor("t1").Accepted);
        Assert.Contains("unknown output format 'junit-xml'", AnswerFor("t1").Reason);
        Assert.Equal(0, _created);
    }

    [Fact]
    public async Task DrainingRefusesNewTasksTellsTheServerAndWaitsForTheRunningOnes()
    {
        var supervisor = NewSupervisor(capacity: 2);
        var drainingRaised = false;
        supervisor.DrainingStarted += () => drainingRaised = true;
        var running = await AssignAndStartAsync(supervisor, "t1");

        supervisor.BeginDrain();
        await supervisor.AssignTask(Assignment("t2"));
        await _server.WaitForAsync(s => s.Acceptances.Any(a => a.TaskId == "t2"));
        var idle = supervisor.WhenIdleAsync(CancellationToken.None);

        Assert.True(drainingRaised);
        Assert.True(supervisor.Draining);
        Assert.Contains("draining", AnswerFor("t2").Reason);
        Assert.False(idle.IsCompleted);
        Assert.Null(running.CancelReason);

        running.Finish(TaskOutcome.Succeeded);
        await idle.Within();
        Assert.Single(_server.Results);
    }

    [Fact]
    public async Task CancelAllStopsTheRunningTasks()
    {
        var supervisor = NewSupervisor(capacity: 2);
        var first = await AssignAndStartAsync(supervisor, "t1");
        var second = await AssignAndStartAsync(supervisor, "t2");

        supervisor.CancelAll("agent shutting down");
        await supervisor.WhenIdleAsync(CancellationToken.None).Within();

        Assert.Equal("agent shutting down", first.CancelReason);
        Assert.Equal("agent shutting down", second.CancelReason);
        Assert.All(_server.Results, r => Assert.Equal(TaskOutcome.Cancelled, r.Outcome));
    }

    [Fact]
    public async Task AWithdrawnAcceptanceDoesNotRunTheTask()
    {
        _server.OnAccept = _ => new TaskAck(false, "accepted too late");
        var supervisor = NewSupervisor();

        await supervisor.AssignTask(Assignment("t1"));
        await supervisor.WhenIdleAsync(CancellationToken.None).Within();

        Assert.Equal(0, _created);
        Assert.Empty(supervisor.RunningTasks);
    }

    [Fact]
    public async Task CancelTaskStopsTheTaskOnlyWhenTheLeaseMatches()
    {
        var supervisor = NewSupervisor();
        var runner = await AssignAndStartAsync(supervisor, "t1");

        await supervisor.CancelTask(new TaskCancellation("t1", "old-lease", "stale"));
        Assert.Null(runner.CancelReason);

        await supervisor.CancelTask(new TaskCancellation("t1", "lease-1", "superseded"));
        await _server.WaitForAsync(s => s.Results.Count == 1);
        Assert.Equal("cancelled by the server: superseded", runner.CancelReason);
        Assert.Equal(TaskOutcome.Cancelled, _server.Results[0].Outcome);
    }

    [Fact]
    public async Task AResultFinishedWhileDisconnectedIsDeliveredAfterTheReconnect()
    {
        var supervisor = NewSupervisor();
        var runner = await AssignAndStartAsync(supervisor, "t1");

        _server.Connected = false;
        runner.Finish(TaskOutcome.Failed);
        Assert.Equal([new RunningTask("t1", "lease-1")], supervisor.RunningTasks);

        _server.Connected = true;
        await _server.WaitForAsync(s => s.Results.Count == 1);
        await supervisor.WhenIdleAsync(CancellationToken.None).Within();
        Assert.Equal(TaskOutcome.Failed, _server.Results[0].Outcome);
    }

    [Fact]
    public async Task CancelAllStopsWaitingForAnUnreachableServer()
    {
        var supervisor = NewSupervisor();
        var runner = await AssignAndStartAsync(supervisor, "t1");
        _server.Connected = false;
        runner.Finish(TaskOutcome.Succeeded);

        supervisor.CancelAll("second signal");

        await supervisor.WhenIdleAsync(CancellationToken.None).Within(TimeSpan.FromSeconds(10));
        Assert.Empty(_server.Results);
    }

    [Fact]
    public async Task ARefusedLeaseDropsTheResultWithoutRetrying()
    {
        _server.OnComplete = _ => new TaskAck(false, "task was reassigned");
        var supervisor = NewSupervisor();
        var runner = await AssignAndStartAsync(supervisor, "t1");

        runner.Finish(TaskOutcome.Succeeded);
        await supervisor.WhenIdleAsync(CancellationToken.None).Within();

        Assert.Equal(1, _server.CompleteCalls);
    }

    [Fact]
    public async Task AbandonedTasksAreStoppedAndTheirResultsDropped()
    {
        var supervisor = NewSupervisor();
        var runner = await AssignAndStartAsync(supervisor, "t1");

        supervisor.Abandon(["t1", "unknown"], "reassigned while offline");
        await supervisor.WhenIdleAsync(CancellationToken.None).Within();

        Assert.Equal("reassigned while offline", runner.CancelReason);
        Assert.Equal(0, _server.CompleteCalls);
    }

    [Fact]
    public async Task TheSameAssignmentTwiceIsConfirmedButRunOnce()
    {
        var supervisor = NewSupervisor(capacity: 2);
        await AssignAndStartAsync(supervisor, "t1");

        await supervisor.AssignTask(Assignment("t1"));
        await _server.WaitForAsync(s => s.Acceptances.Count == 2);

        Assert.All(_server.Acceptances, a => Assert.True(a.Accepted));
        Assert.Equal(1, _created);
    }

    [Fact]
    public async Task AnotherLeaseOfARunningTaskIsRefused()
    {
        var supervisor = NewSupervisor(capacity: 2);
        await AssignAndStartAsync(supervisor, "t1");

        await supervisor.AssignTask(Assignment("t1", lease: "lease-2"));
        await _server.WaitForAsync(s => s.Acceptances.Count == 2);

        Assert.False(AnswerFor("t1").Accepted);
        Assert.Equal(1, _created);
    }

    private sealed class FakeRunner(TaskAssignment assignment, TaskCompletionSource<FakeRunner> started) : ITaskRunner
    {
        private readonly TaskCompletionSource<TaskResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? CancelReason { get; private set; }

        public Task<TaskResult> RunAsync()
        {
            started.TrySetResult(this);
            return _result.Task;
        }

        public void Cancel(string reason)
        {
            CancelReason ??= reason;
            Finish(TaskOutcome.Cancelled);
        }

        public void Finish(TaskOutcome outcome) =>
            _result.TrySetResult(new TaskResult("node-1", assignment.TaskId, assignment.LeaseToken, outcome, 0, [], [], [], null, TimeSpan.FromSeconds(1)));
    }
}
