namespace ReviewBot.Functions.Agents;

// Ephemeral agents (--once): exactly one task each.
public sealed partial class AgentRegistry
{
    /// <summary>The node accepted a task. A once-agent is then spent: it is draining from the server's view (no
    /// candidate, no reservation) even before its own heartbeat says so, so it is never assigned a second task.</summary>
    public void TaskAccepted(string nodeId)
    {
        if (Get(nodeId) is not { } node) return;
        bool spent;
        lock (node.Gate)
        {
            spent = node.Once && !node.OnceSpent;
            if (!spent) return;
            node.OnceSpent = true;
            node.State = StateOf(node, time.GetUtcNow());
        }
        OnNodeChanged(node);
    }
}
