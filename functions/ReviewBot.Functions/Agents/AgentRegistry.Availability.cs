using ReviewBot.Core.Placement;

namespace ReviewBot.Functions.Agents;

/// <summary>The registry's availability: drain and pause asked for by an admin, suspicion of a node an assignment
/// could not reach or that did not accept in time, and the candidates routing chooses from.</summary>
public sealed partial class AgentRegistry
{
    /// <summary>Drain (no new tasks), pause until a time, or resume (clears both); false for an unknown node.
    /// A drain asked for here is kept apart from the agent's own (which every heartbeat reports), so it lasts.</summary>
    public bool SetAvailability(string nodeId, bool? draining, DateTimeOffset? pausedUntil, bool resume)
    {
        if (Get(nodeId) is not { } node) return false;
        lock (node.Gate)
        {
            if (resume) { node.DrainRequested = false; node.PausedUntil = null; }
            if (draining is { } d) node.DrainRequested = d;
            if (pausedUntil is { } p) node.PausedUntil = p;
            node.State = StateOf(node, time.GetUtcNow());
        }
        NodeChanged?.Invoke(node);
        PlacementMayHaveChanged?.Invoke();
        return true;
    }

    /// <summary>Leaves the node out of <see cref="Candidates"/> for <paramref name="forHowLong"/>.</summary>
    public void MarkSuspect(string nodeId, TimeSpan forHowLong)
    {
        if (Get(nodeId) is not { } node) return;
        lock (node.Gate) node.SuspectUntil = time.GetUtcNow() + forHowLong;
    }

    /// <summary>Candidates for routing, as of now. Suspect nodes are left out until their suspicion expires.</summary>
    public IReadOnlyList<AgentCandidate> Candidates()
    {
        var now = time.GetUtcNow();
        var list = new List<AgentCandidate>(_nodes.Count);
        foreach (var node in _nodes.Values)
        {
            lock (node.Gate)
            {
                if (node.ConnectionId is null) continue; // full nodes stay: the wait reason counts them as busy
                var state = StateOf(node, now);
                if (node.SuspectUntil > now && state == AgentState.Online) continue;
                list.Add(new AgentCandidate(node.NodeId, node.Name, node.Labels, node.Exclusive, node.Capacity, node.Tasks.Count,
                    state, node.RecentSet, node.LastAssignedAt));
            }
        }
        return list;
    }
}
