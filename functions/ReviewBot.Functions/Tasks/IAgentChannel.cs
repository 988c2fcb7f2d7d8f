using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Tasks;

/// <summary>How the app talks to a connected agent (implemented in Agents/: the in-process SignalR hub, or Azure
/// SignalR Service's REST API).</summary>
public interface IAgentChannel
{
    Task AssignAsync(string connectionId, TaskAssignment assignment, CancellationToken ct);
    Task CancelAsync(string connectionId, TaskCancellation cancellation, CancellationToken ct);

    /// <summary>Closes the agent's connection (a revoked agent); a connection that is already gone is no error.</summary>
    Task CloseAsync(string connectionId, string reason, CancellationToken ct);
}
