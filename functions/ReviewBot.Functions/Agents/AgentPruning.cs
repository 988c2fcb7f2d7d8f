using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// Retention of the node registry: users run ephemeral agents, so a node last seen (ping or registration) before the cutoff is deleted from
/// the node table, forgotten here, and its credential row deleted (a revoked credential stays: it keeps the node id
/// barred). Never a node that is connected here, holds tasks here, or that the task table still gives an Assigned or
/// Running task; the table delete is checked against the row read, so a node that came back meanwhile stays.
/// An agent pruned this way registers again with a bootstrap token if it ever returns.
/// </summary>
public sealed class AgentPruning(NodeStore nodes, AgentCredentialStore credentials, AgentRegistry registry, ITaskStore tasks)
{
    /// <summary>Prunes the nodes last seen before <paramref name="cutoff"/>; returns the ids pruned. The node partition is
    /// read whole: it holds only the nodes seen since the previous cutoff (see <see cref="NodeStore"/>).</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        var pruned = new List<string>();
        foreach (var node in await nodes.ListAsync(ct))
        {
            if (pruned.Count == limit) break;
            if (NodeStore.LastSeen(node) >= cutoff) continue;
            if (registry.Get(node.NodeId) is { } here && (here.ConnectionId is not null || registry.Held(node.NodeId) is { Count: > 0 })) continue;
            var held = await tasks.ActiveOfNodeAsync(node.NodeId, ct);
            if (held.Count > 0) continue;
            if (!await nodes.TryDeleteIfSilentAsync(node.NodeId, cutoff, ct)) continue;
            registry.Forget(node.NodeId);
            if (await credentials.GetAsync(node.NodeId, ct) is { Revoked: false } credential) await credentials.TryDeleteAsync(credential, ct);
            pruned.Add(node.NodeId);
        }

        return pruned;
    }
}
