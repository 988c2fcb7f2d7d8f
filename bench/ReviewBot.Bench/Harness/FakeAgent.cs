using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Bench.Harness;

/// <summary>Receives the time an assignment arrived, before the agent answers it.</summary>
public delegate void AssignmentObserver(TaskAssignment assignment, long receivedTimestamp);

/// <summary>
/// A real SignalR client speaking the agent protocol, without running anything: registers, heartbeats at the interval
/// the server asked for, and answers every assignment with AcceptTask then CompleteTask (Succeeded with no findings,
/// or Failed with the findings it was given).
/// WebSockets without a negotiate round trip (the token goes in the query string, as for browsers), so that
/// connecting thousands costs one request each.
/// </summary>
public sealed class FakeAgent : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly AgentRegistration _registration;
    private readonly SwarmCounters _counters;
    private readonly AssignmentObserver? _observer;
    private readonly bool _complete;
    private readonly IReadOnlyList<Finding> _findings;
    private readonly ConcurrentDictionary<string, string> _running = new(StringComparer.Ordinal);
    private volatile bool _disposing;

    public FakeAgent(string hubUrl, string token, string nodeId, IReadOnlyList<string> labels, int capacity, SwarmCounters counters, AssignmentObserver? observer, bool complete = true,
        IReadOnlyList<Finding>? findings = null)
    {
        _findings = findings ?? [];
        _counters = counters;
        _observer = observer;
        _complete = complete;
        _registration = new AgentRegistration(nodeId, nodeId, labels, capacity, Exclusive: false, "bench", "linux", "x64",
            AgentProtocol.Version, []);
        _connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
            })
            .Build();
        _connection.ServerTimeout = TimeSpan.FromSeconds(60);
        _connection.On<TaskAssignment>(nameof(IAgentClient.AssignTask), OnAssign);
        _connection.On<TaskCancellation>(nameof(IAgentClient.CancelTask), c => { _running.TryRemove(c.TaskId, out _); counters.Cancelled(); });
        _connection.Closed += e => { if (!_disposing) counters.Disconnected(); return Task.CompletedTask; };
    }

    public string NodeId => _registration.NodeId;
    public TimeSpan HeartbeatInterval { get; private set; }

    public async Task ConnectAsync(CancellationToken ct)
    {
        await _connection.StartAsync(ct);
        var result = await _connection.InvokeAsync<RegistrationResult>(nameof(IAgentHub.Register), _registration, ct);
        if (!result.Accepted) throw new InvalidOperationException($"registration of {NodeId} refused: {result.Reason}");
        HeartbeatInterval = result.HeartbeatInterval;
    }

    /// <summary>Heartbeats every <see cref="HeartbeatInterval"/> from a random phase, so that N agents spread evenly.</summary>
    public async Task HeartbeatAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(HeartbeatInterval * Random.Shared.NextDouble(), stop);
            using var timer = new PeriodicTimer(HeartbeatInterval);
            do
            {
                try
                {
                    await _connection.InvokeAsync(nameof(IAgentHub.Heartbeat), new AgentHeartbeat(NodeId, [.. _running.Keys], false), stop);
                    _counters.HeartbeatSent();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _counters.HeartbeatFailed();
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the scenario is over
        }
    }

    private void OnAssign(TaskAssignment a)
    {
        var received = Stopwatch.GetTimestamp();
        _observer?.Invoke(a, received);
        _running[a.TaskId] = a.LeaseToken;
        _ = AnswerAsync(a);
    }

    private async Task AnswerAsync(TaskAssignment a)
    {
        try
        {
            var ack = await _connection.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), new TaskAcceptance(NodeId, a.TaskId, a.LeaseToken, true, null));
            if (!ack.Accepted) { _counters.AcceptRefused(); return; }
            if (!_complete) return;
            var done = await _connection.InvokeAsync<TaskAck>(nameof(IAgentHub.CompleteTask), new TaskResult(NodeId, a.TaskId, a.LeaseToken,
                _findings.Count == 0 ? TaskOutcome.Succeeded : TaskOutcome.Failed, _findings.Count == 0 ? 0 : 1, _findings, [],
                [.. _findings.Select(f => f.File).Distinct()], null, TimeSpan.Zero));
            if (done.Accepted) _counters.Completed(); else _counters.CompleteRefused();
        }
        catch (Exception)
        {
            _counters.AnswerFailed();
        }
        finally
        {
            if (_complete) _running.TryRemove(a.TaskId, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        try { await _connection.DisposeAsync(); } catch (Exception) { /* closing thousands at the end: errors do not matter */ }
    }
}

/// <summary>What the agents of a run did, counted across all of them.</summary>
public sealed class SwarmCounters
{
    private long _heartbeats, _heartbeatFailures, _disconnects, _completed, _acceptRefused, _completeRefused, _answerFailed, _cancelled;

    public long Heartbeats => Interlocked.Read(ref _heartbeats);
    public long HeartbeatFailures => Interlocked.Read(ref _heartbeatFailures);
    public long Disconnects => Interlocked.Read(ref _disconnects);
    public long CompletedTasks => Interlocked.Read(ref _completed);
    public long AcceptsRefused => Interlocked.Read(ref _acceptRefused);
    public long CompletesRefused => Interlocked.Read(ref _completeRefused);
    public long AnswersFailed => Interlocked.Read(ref _answerFailed);
    public long Cancellations => Interlocked.Read(ref _cancelled);

    public void HeartbeatSent() => Interlocked.Increment(ref _heartbeats);
    public void HeartbeatFailed() => Interlocked.Increment(ref _heartbeatFailures);
    public void Disconnected() => Interlocked.Increment(ref _disconnects);
    public void Completed() => Interlocked.Increment(ref _completed);
    public void AcceptRefused() => Interlocked.Increment(ref _acceptRefused);
    public void CompleteRefused() => Interlocked.Increment(ref _completeRefused);
    public void AnswerFailed() => Interlocked.Increment(ref _answerFailed);
    public void Cancelled() => Interlocked.Increment(ref _cancelled);

    public override string ToString() =>
        $"heartbeats sent {Heartbeats} (failed {HeartbeatFailures}), disconnects {Disconnects}, tasks completed {CompletedTasks}, " +
        $"accept refused {AcceptsRefused}, complete refused {CompletesRefused}, answer errors {AnswersFailed}, cancellations {Cancellations}";
}
