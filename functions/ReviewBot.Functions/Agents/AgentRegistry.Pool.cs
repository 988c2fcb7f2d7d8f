using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Agents;

// The members of IAgentPool that read a node by id (reserve, hold, release and suspicion are in AgentRegistry.Leases.cs).
public sealed partial class AgentRegistry
{
    /// <summary>Raised with the registration of a connected node after it (re)registered or changed (drain, pause).</summary>
    public event Action<AgentRegistration>? ConnectedNodeChanged;

    public IReadOnlyList<KeyValuePair<string, string>>? Held(string nodeId)
    {
        if (Get(nodeId) is not { } node) return null;
        lock (node.Gate) return [.. node.Tasks];
    }

    public string? HeldLease(string nodeId, string taskId) => Get(nodeId) is { } node ? HeldLease(node, taskId) : null;

    public string? ConnectionOf(string nodeId)
    {
        if (Get(nodeId) is not { } node) return null;
        lock (node.Gate) return node.ConnectionId;
    }

    public string NameOf(string nodeId)
    {
        if (Get(nodeId) is not { } node) return nodeId;
        lock (node.Gate) return node.Name;
    }

    /// <summary>Raises <see cref="NodeChanged"/>, and <see cref="ConnectedNodeChanged"/> when the node is connected.</summary>
    private void OnNodeChanged(AgentPresence node)
    {
        NodeChanged?.Invoke(node);
        if (ConnectedNodeChanged is not { } connected) return;
        AgentRegistration? registration;
        lock (node.Gate) registration = node.ConnectionId is not null ? node.Registration : null;
        if (registration is not null) connected(registration);
    }
}
