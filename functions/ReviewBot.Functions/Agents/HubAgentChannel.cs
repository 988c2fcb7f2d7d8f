using Microsoft.AspNetCore.SignalR;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

/// <summary>The agents' channel in process: the SignalR hub (under Azure: <see cref="Serverless.ServerlessAgentChannel"/>).</summary>
public sealed class HubAgentChannel(IHubContext<AgentHub, IAgentClient> hub, AgentConnections connections) : IAgentChannel
{
    public Task AssignAsync(string connectionId, TaskAssignment assignment, CancellationToken ct) =>
        hub.Clients.Client(connectionId).AssignTask(assignment);

    public Task CancelAsync(string connectionId, TaskCancellation cancellation, CancellationToken ct) =>
        hub.Clients.Client(connectionId).CancelTask(cancellation);

    /// <summary>Aborts the connection if it is held by this instance (with a Redis backplane another instance may hold
    /// it: <see cref="Credentials.RevocationSweep"/> closes it there).</summary>
    public Task CloseAsync(string connectionId, string reason, CancellationToken ct)
    {
        connections.Abort(connectionId);
        return Task.CompletedTask;
    }
}

/// <summary>The hub connections this instance holds, so that one can be closed from outside the hub (IHubContext cannot).</summary>
public sealed class AgentConnections
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HubCallerContext> _open = new(StringComparer.Ordinal);

    public void Opened(HubCallerContext context) => _open[context.ConnectionId] = context;
    public void Closed(string connectionId) => _open.TryRemove(connectionId, out _);
    public bool Holds(string connectionId) => _open.ContainsKey(connectionId);

    public void Abort(string connectionId)
    {
        if (_open.TryRemove(connectionId, out var context)) context.Abort();
    }
}
