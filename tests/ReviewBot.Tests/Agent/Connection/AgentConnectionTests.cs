using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Commands;
using ReviewBot.Agent.Connection;
using ReviewBot.Agent.Identity;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Connection;

/// <summary>The connection against a real SignalR server (a recording hub), not a mock.</summary>
public sealed class AgentConnectionTests : IAsyncDisposable
{
    private static readonly NodeIdentity Identity = new("node-42", "1.2.3", "linux", "x64");
    private readonly FakeTaskHost _host = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IAsyncDisposable> _disposables = [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }
    }

    private static AgentOptions Options(Uri server) =>
        new(server, "agent-token-123", ["linux", "os:linux"], 2, "/tmp/unused", "builder-1", Exclusive: true);

    private async Task<TestAgentHubServer> StartServerAsync(int? port = null, TestAgentHubServer.HubState? state = null)
    {
        var server = await TestAgentHubServer.StartAsync(port, state);
        _disposables.Add(server);
        return server;
    }

    private (AgentConnection Connection, Task Run) Connect(Uri server)
    {
        var connection = new AgentConnection(
            Options(server), Identity, NullLoggerFactory.Instance, TimeProvider.System,
            new JitteredBackoff { Initial = TimeSpan.FromMilliseconds(50), Max = TimeSpan.FromMilliseconds(200) });
        _disposables.Add(connection);
        return (connection, connection.RunAsync(_host, _stop.Token));
    }

    [Fact]
    public async Task RegistersWithTheTokenAsAccessTokenAndItsIdentity()
    {
        var server = await StartServerAsync();
        _host.Running = [new RunningTask("t1", "lease-1")];

        Connect(server.BaseUrl);
        await server.State.WaitForAsync(s => !s.Registrations.IsEmpty);

        var (registration, token, _) = server.State.Registrations.Single();
        Assert.Equal("agent-token-123", token);
        Assert.Equal(("node-42", "builder-1", 2, true), (registration.NodeId, registration.Name, registration.Capacity, registration.Exclusive));
        Assert.Equal(["linux", "os:linux"], registration.Labels);
        Assert.Equal(("1.2.3", "linux", "x64", AgentProtocol.Version), (registration.Version, registration.Os, registration.Arch, registration.ProtocolVersion));
        Assert.Equal([new RunningTask("t1", "lease-1")], registration.RunningTasks);
    }

    [Fact]
    public async Task ServerCallsReachTheTaskHostAndTaskCallsReachTheServer()
    {
        var server = await StartServerAsync();
        var (connection, _) = Connect(server.BaseUrl);
        await connection.WaitUntilReadyAsync(CancellationToken.None).Within();
        var connectionId = server.State.Registrations.Single().ConnectionId;
        var assignment = new TaskAssignment("t1", "lease-1", 2,
            new SourceSpec("acme/widgets", "https://github.com/acme/widgets.git", "abc", "feature", "def", "main", 7, "ghs_x"),
            new LinterSpec("shellcheck", ["shellcheck"], ["-f", "gcc", "{files}"], new Dictionary<string, string> { ["A"] = "b" }, "src", "gcc", [".sh"], TimeSpan.FromMinutes(5)),
            TimeSpan.FromSeconds(5));

        await server.Clients.Clients.Client(connectionId).AssignTask(assignment).Within();
        await server.Clients.Clients.Client(connectionId).CancelTask(new TaskCancellation("t1", "lease-1", "superseded")).Within();
        await _host.WaitForAsync(h => h.Assignments.Count == 1 && h.Cancellations.Count == 1);
        var ack = await connection.AcceptTaskAsync(new TaskAcceptance("node-42", "t1", "lease-1", true, null), CancellationToken.None).Within();

        var received = _host.Assignments.Single();
        Assert.Equal(assignment with { Source = received.Source, Linter = received.Linter }, received);
        Assert.Equal(assignment.Source, received.Source);
        Assert.Equal(assignment.Linter.Command, received.Linter.Command);
        Assert.Equal(assignment.Linter.Env, received.Linter.Env);
        Assert.Equal(TimeSpan.FromMinutes(5), received.Linter.Timeout);
        Assert.Equal("superseded", _host.Cancellations.Single().Reason);
        Assert.True(ack.Accepted);
        Assert.Equal("t1", server.State.Acceptances.Single().TaskId);
    }

    [Fact]
    public async Task TasksTheServerListsAtRegistrationAreAbandoned()
    {
        var state = new TestAgentHubServer.HubState { OnRegister = _ => new RegistrationResult(true, null, TimeSpan.FromSeconds(10), ["t9"]) };
        var server = await StartServerAsync(state: state);

        Connect(server.BaseUrl);

        await _host.WaitForAsync(h => h.Abandoned.Contains("t9"));
    }

    [Fact]
    public async Task HeartbeatsFollowTheServersIntervalAndReportDraining()
    {
        var state = new TestAgentHubServer.HubState { OnRegister = _ => new RegistrationResult(true, null, TimeSpan.FromMilliseconds(100), []) };
        var server = await StartServerAsync(state: state);
        _host.Running = [new RunningTask("t1", "lease-1")];

        Connect(server.BaseUrl);
        await server.State.WaitForAsync(s => s.Heartbeats.Count >= 2);
        _host.StartDraining();
        await server.State.WaitForAsync(s => s.Heartbeats.Any(h => h.Draining));

        Assert.All(server.State.Heartbeats, h => Assert.Equal(("node-42", "t1"), (h.NodeId, h.RunningTaskIds.Single())));
    }

    [Fact]
    public async Task AfterADroppedConnectionItReconnectsAndRegistersAgainWithItsRunningTasks()
    {
        var server = await StartServerAsync();
        var (connection, _) = Connect(server.BaseUrl);
        await server.State.WaitForAsync(s => s.Registrations.Count == 1);
        _host.Running = [new RunningTask("t1", "lease-1")];

        server.State.LastContext!.Abort();
        await server.State.WaitForAsync(s => s.Registrations.Count == 2);
        await connection.WaitUntilReadyAsync(CancellationToken.None).Within();

        var second = server.State.Registrations.Last();
        Assert.Equal([new RunningTask("t1", "lease-1")], second.Registration.RunningTasks);
        Assert.NotEqual(server.State.Registrations.First().ConnectionId, second.ConnectionId);
    }

    [Fact]
    public async Task TheFirstConnectIsRetriedUntilTheServerIsUp()
    {
        var port = TestAgentHubServer.FreePort();
        var (connection, _) = Connect(new Uri($"http://127.0.0.1:{port}/"));
        var ready = connection.WaitUntilReadyAsync(CancellationToken.None);
        Assert.False(ready.IsCompleted);

        var server = await StartServerAsync(port);

        await ready.Within();
        Assert.Single(server.State.Registrations);
    }

    [Fact]
    public async Task ARefusedRegistrationStopsTheConnection()
    {
        var state = new TestAgentHubServer.HubState { OnRegister = _ => new RegistrationResult(false, "protocol version 1 is not supported", TimeSpan.Zero, []) };
        var server = await StartServerAsync(state: state);

        var (_, run) = Connect(server.BaseUrl);

        var error = await Assert.ThrowsAsync<RegistrationRefusedException>(() => run).Within();
        Assert.Contains("protocol version 1 is not supported", error.Message);
    }

    [Fact]
    public async Task CallsFailFastWhileDisconnected()
    {
        var (connection, _) = Connect(new Uri($"http://127.0.0.1:{TestAgentHubServer.FreePort()}/"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.CompleteTaskAsync(
            new TaskResult("n", "t", "l", TaskOutcome.Succeeded, 0, [], [], [], null, TimeSpan.Zero), CancellationToken.None)).Within();
    }

    private sealed class FakeTaskHost : ITaskHost
    {
        private readonly Lock _lock = new();
        private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];

        public ConcurrentQueue<TaskAssignment> Assignments { get; } = new();

        public ConcurrentQueue<TaskCancellation> Cancellations { get; } = new();

        public ConcurrentQueue<string> Abandoned { get; } = new();

        public IReadOnlyList<RunningTask> Running { get; set; } = [];

        public IReadOnlyList<RunningTask> RunningTasks => Running;

        public bool Draining { get; private set; }

        public event Action? DrainingStarted;

        public void StartDraining()
        {
            Draining = true;
            DrainingStarted?.Invoke();
        }

        public Task AssignTask(TaskAssignment assignment)
        {
            Assignments.Enqueue(assignment);
            Changed();
            return Task.CompletedTask;
        }

        public Task CancelTask(TaskCancellation cancellation)
        {
            Cancellations.Enqueue(cancellation);
            Changed();
            return Task.CompletedTask;
        }

        public void Abandon(IReadOnlyList<string> taskIds, string reason)
        {
            foreach (var id in taskIds)
            {
                Abandoned.Enqueue(id);
            }

            Changed();
        }

        public Task WaitForAsync(Func<FakeTaskHost, bool> condition)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _waiters.Add((() => condition(this), done));
            }

            Changed();
            return done.Task.Within();
        }

        private void Changed()
        {
            lock (_lock)
            {
                foreach (var waiter in _waiters.Where(w => w.Condition()).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        }
    }
}
