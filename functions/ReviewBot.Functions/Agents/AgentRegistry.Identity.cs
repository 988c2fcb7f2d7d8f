using ReviewBot.Core.Placement;

namespace ReviewBot.Functions.Agents;

/// <summary>Values of <see cref="AgentPresence.Binding"/> besides <c>shared:&lt;i&gt;</c>.</summary>
public static class AgentBinding
{
    public const string Agent = "agent";
}

/// <summary>A registration the registry took: the node, and the tasks it held here that it reported (keep) or did not (lost).</summary>
public sealed record RegisteredNode(AgentPresence Node, IReadOnlyList<string> Keep, IReadOnlyList<string> Lost);

/// <summary>Whether a connection may speak for a node id.</summary>
public enum Speaker
{
    /// <summary>The connection registered this node.</summary>
    Yes,
    /// <summary>The connection registered another node: refuse.</summary>
    OtherNode,
    /// <summary>The connection has not registered (yet: an agent may send right after a reconnect): it may retry after registering.</summary>
    NotRegistered,
}

public sealed partial class AgentRegistry
{
    /// <summary>Whether <paramref name="connectionId"/> is the connection <paramref name="nodeId"/> registered on.</summary>
    public Speaker SpeakerOf(string connectionId, string? nodeId)
    {
        if (!_byConnection.TryGetValue(connectionId, out var registered)) return Speaker.NotRegistered;
        if (registered != nodeId || Get(nodeId) is not { } node) return Speaker.OtherNode;
        lock (node.Gate) return node.ConnectionId == connectionId ? Speaker.Yes : Speaker.OtherNode;
    }

    /// <summary>The node id a connection registered, if it did.</summary>
    public string? NodeOf(string connectionId) => _byConnection.GetValueOrDefault(connectionId);

    /// <summary>Marks a node revoked: offline at once, its connection and held tasks handed back to the caller (which
    /// closes the one and requeues the others). False when this instance does not know the node.</summary>
    public bool Revoke(string nodeId, out string? connectionId, out IReadOnlyList<KeyValuePair<string, string>> tasks)
    {
        connectionId = null;
        tasks = [];
        if (Get(nodeId) is not { } node) return false;
        lock (_registerGate)
        lock (node.Gate)
        {
            node.Revoked = true;
            connectionId = node.ConnectionId;
            if (connectionId is not null) _byConnection.TryRemove(connectionId, out _);
            node.ConnectionId = null;
            node.DisconnectedAt ??= time.GetUtcNow();
            node.State = AgentState.Offline;
            tasks = [.. node.Tasks];
            node.Tasks.Clear();
            node.HeldSince.Clear();
            node.MissedIn.Clear();
        }
        NodeChanged?.Invoke(node);
        PlacementMayHaveChanged?.Invoke();
        return true;
    }

    /// <summary>An admin deleted the revoked credential: the node id may register again (with a new credential).</summary>
    public void Unrevoke(string nodeId)
    {
        if (Get(nodeId) is not { } node) return;
        lock (node.Gate)
        {
            node.Revoked = false;
            node.Binding = null;
        }
        NodeChanged?.Invoke(node);
    }
}
