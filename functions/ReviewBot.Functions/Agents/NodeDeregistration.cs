using ReviewBot.Functions.Agents.Credentials;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// An agent leaving for good at its own request (<see cref="Contracts.Agents.IAgentHub.Deregister"/>; a <c>--once</c>
/// agent after reporting its one task): what retention (<see cref="AgentPruning"/>) would do later, at once. The node is
/// forgotten by the registry (which refuses unless the call came on the node's own connection and it holds no task),
/// then its row is deleted from the node table and its own credential row (not a revoked one: that keeps the node id
/// barred) from the credential table, so neither the agents page nor <c>GET /api/agents</c> lists it.
/// <para>Invariant: no last-ping write re-creates the row. The registry drops the node's pending ping before the delete
/// and takes no ping for it after (its connection speaks for no node); a ping batch already taken and still in flight
/// can only merge a row without Data, which <see cref="NodeStore"/> never returns and deletes when it lists it.</para>
/// </summary>
public sealed partial class NodeDeregistration(
    AgentRegistry registry,
    NodeStore nodes,
    AgentCredentialStore credentials,
    AgentDirectory directory,
    ILogger<NodeDeregistration> log)
{
    /// <summary>Null when the node is gone, else why it was refused (nothing changed then).</summary>
    public async Task<string?> DeregisterAsync(AgentCaller caller, string nodeId, CancellationToken ct)
    {
        var name = registry.Get(nodeId)?.Name ?? nodeId;
        if (registry.TryDeregister(nodeId, caller.ConnectionId) is { } refused)
        {
            LogRefused(log, nodeId, refused);
            return refused;
        }
        directory.Forget(nodeId);
        // Storage is best effort from here: the agent is leaving either way, and retention prunes what a failed delete left.
        try
        {
            await nodes.DeleteAsync(nodeId, ct);
            if (caller.Kind == AgentCredentialKind.Agent && await credentials.GetAsync(nodeId, ct) is { Revoked: false } credential)
                await credentials.TryDeleteAsync(credential, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStorageFailed(log, nodeId, e);
        }
        LogDeregistered(log, name, nodeId);
        return null;
    }

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "Agent {Name} ({NodeId}) deregistered: forgotten, its node row and credential deleted")]
    private static partial void LogDeregistered(ILogger logger, string name, string nodeId);

    [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "Agent {NodeId} deregistration refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 408, Level = LogLevel.Warning, Message = "Agent {NodeId} deregistered, but storage could not delete its rows (retention prunes them later)")]
    private static partial void LogStorageFailed(ILogger logger, string nodeId, Exception exception);
}
