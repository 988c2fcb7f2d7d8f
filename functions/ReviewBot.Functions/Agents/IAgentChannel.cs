using Microsoft.AspNetCore.SignalR;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Agents;

/// <summary>How the app talks to a connected agent. In process: the SignalR hub; under Azure: the SignalR Service REST API.</summary>
public interface IAgentChannel
{
    Task AssignAsync(string connectionId, TaskAssignment assignment, CancellationToken ct);
    Task CancelAsync(string connectionId, TaskCancellation cancellation, CancellationToken ct);
}

public sealed class HubAgentChannel(IHubContext<AgentHub, IAgentClient> hub) : IAgentChannel
{
    public Task AssignAsync(string connectionId, TaskAssignment assignment, CancellationToken ct) =>
        hub.Clients.Client(connectionId).AssignTask(assignment);

    public Task CancelAsync(string connectionId, TaskCancellation cancellation, CancellationToken ct) =>
        hub.Clients.Client(connectionId).CancelTask(cancellation);
}
