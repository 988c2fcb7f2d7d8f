namespace ReviewBot.Functions.Agents;

// An agent that leaves for good (a spent --once agent): see NodeDeregistration.
public sealed partial class AgentRegistry
{
    /// <summary>Forgets a node at its own request: only from the connection that registered it, and only while it holds
    /// no task here. Its connection then speaks for no node, and its pending last ping is dropped, so this instance
    /// writes no ping for it after the caller deleted its row. Its connection is cleared under the node's lock, so a
    /// placement that picked it as a candidate just before cannot reserve it (reservations need a connection).
    /// Null when done, else the reason it was refused.</summary>
    public string? TryDeregister(string nodeId, string connectionId)
    {
        if (Get(nodeId) is not { } node) return $"node {nodeId} is not registered here";
        lock (_registerGate)
        {
            lock (node.Gate)
            {
                if (node.ConnectionId != connectionId) return $"this connection does not speak for node {nodeId}";
                if (node.Tasks.Count > 0)
                    return $"node {nodeId} still holds task(s) {string.Join(", ", node.Tasks.Keys.Order())}: report them (or let them be requeued) before deregistering";
                node.ConnectionId = null;
                node.State = Core.Placement.AgentState.Offline;
                _nodes.TryRemove(new KeyValuePair<string, AgentPresence>(nodeId, node));
                _byConnection.TryRemove(new KeyValuePair<string, string>(connectionId, nodeId));
                _unsavedPings.TryRemove(nodeId, out _);
            }
        }
        OnNodeChanged(node); // the live agents page shows it offline; a reload no longer lists it
        PlacementMayHaveChanged?.Invoke();
        return null;
    }
}
