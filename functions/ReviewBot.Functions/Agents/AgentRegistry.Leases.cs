using ReviewBot.Core.Placement;

namespace ReviewBot.Functions.Agents;

/// <summary>The registry's leases: the slots tasks hold on nodes (reserved at assignment, held while the agent runs
/// the task, released when it ends), and the nodes found lost, whose tasks the caller requeues.</summary>
public sealed partial class AgentRegistry
{
    /// <summary>Reserves a slot for <paramref name="taskId"/> if the node is still online with free capacity.</summary>
    public bool TryReserve(string nodeId, string taskId, string lease, string repository)
    {
        if (Get(nodeId) is not { } node) return false;
        lock (node.Gate)
        {
            var now = time.GetUtcNow();
            if (node.ConnectionId is null || StateOf(node, now) != AgentState.Online || node.Tasks.Count >= node.Capacity) return false;
            node.Tasks[taskId] = lease;
            node.HeldSince[taskId] = now;
            node.LastAssignedAt = now;
            if (node.RecentRepositories.Count == 0 || !string.Equals(node.RecentRepositories[^1], repository, StringComparison.OrdinalIgnoreCase))
            {
                node.RecentRepositories.RemoveAll(r => string.Equals(r, repository, StringComparison.OrdinalIgnoreCase));
                node.RecentRepositories.Add(repository);
                if (node.RecentRepositories.Count > 20) node.RecentRepositories.RemoveAt(0);
                node.RecentSet = new HashSet<string>(node.RecentRepositories, StringComparer.OrdinalIgnoreCase);
            }
            return true;
        }
    }

    /// <summary>The lease under which <paramref name="node"/> holds the task, if it does.</summary>
    public string? HeldLease(AgentPresence node, string taskId)
    {
        lock (node.Gate) return node.Tasks.GetValueOrDefault(taskId);
    }

    /// <summary>Frees the slot of a task (finished, refused, reassigned). No-op if the lease is not the held one.</summary>
    public void Release(string nodeId, string taskId, string? lease)
    {
        if (Get(nodeId) is not { } node) return;
        bool released;
        lock (node.Gate)
        {
            released = node.Tasks.TryGetValue(taskId, out var held) && (lease is null || held == lease);
            if (released) Forget(node, taskId);
        }
        if (released) PlacementMayHaveChanged?.Invoke();
    }

    /// <summary>Marks a task as held by a node it was recovered from storage for.</summary>
    public void Hold(string nodeId, string taskId, string lease)
    {
        var node = _nodes.GetOrAdd(nodeId, id => new AgentPresence(id) { DisconnectedAt = time.GetUtcNow() });
        lock (node.Gate)
        {
            node.Tasks[taskId] = lease;
            node.HeldSince[taskId] = time.GetUtcNow();
        }
    }

    /// <summary>Nodes that missed their heartbeats or did not come back within the grace: now offline,
    /// with the tasks they held removed from them (the caller requeues those).</summary>
    public IReadOnlyList<(AgentPresence Node, IReadOnlyList<KeyValuePair<string, string>> Tasks, string Reason)> CollectLost()
    {
        var now = time.GetUtcNow();
        var lost = new List<(AgentPresence, IReadOnlyList<KeyValuePair<string, string>>, string)>();
        foreach (var node in _nodes.Values)
        {
            lock (node.Gate)
            {
                string? reason = null;
                if (node.ConnectionId is not null && now - node.LastPing > _options.OfflineAfter)
                    reason = $"no heartbeat from {node.Name} for {(now - node.LastPing).TotalSeconds:0} s";
                else if (node.ConnectionId is null && node.DisconnectedAt is { } at && now - at > Grace(now) && node.Tasks.Count > 0)
                    reason = $"{node.Name} disconnected and did not come back within {Grace(now).TotalSeconds:0} s";
                if (reason is null) continue;
                if (node.ConnectionId is { } c) _byConnection.TryRemove(c, out _);
                node.ConnectionId = null;
                node.DisconnectedAt ??= now;
                node.State = AgentState.Offline;
                var tasks = node.Tasks.ToList();
                node.Tasks.Clear();
                node.HeldSince.Clear();
                node.MissedIn.Clear();
                lost.Add((node, tasks, reason));
            }
        }
        foreach (var (node, _, _) in lost) NodeChanged?.Invoke(node);
        return lost;
    }

    /// <summary>Right after start, agents are still reconnecting: give them the warm-up time, not just the grace.</summary>
    private TimeSpan Grace(DateTimeOffset now) =>
        now - StartedAt < _options.CacheWarmup && _options.OfflineAfter > _options.DisconnectGrace ? _options.OfflineAfter : _options.DisconnectGrace;

    /// <summary>Drops a task from a node's bookkeeping; call under the node's lock.</summary>
    private static void Forget(AgentPresence node, string taskId)
    {
        node.Tasks.Remove(taskId);
        node.HeldSince.Remove(taskId);
        node.MissedIn.Remove(taskId);
    }
}
