namespace ReviewBot.Functions.Agents;

public sealed partial class AgentRegistry
{
    /// <summary>Drops a node this instance only remembers (not connected, holding no task), after retention pruned it
    /// from the table. False when it is connected or holds tasks here: then it stays.</summary>
    public bool Forget(string nodeId)
    {
        if (Get(nodeId) is not { } node) return true;
        lock (_registerGate)
        {
            lock (node.Gate)
            {
                if (node.ConnectionId is not null || node.Tasks.Count > 0) return false;
                _nodes.TryRemove(new KeyValuePair<string, AgentPresence>(nodeId, node));
                return true;
            }
        }
    }
}
