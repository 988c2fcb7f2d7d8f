using ReviewBot.Core.Labels;

namespace ReviewBot.Core.Placement;

/// <summary>
/// What orders two eligible agents, most important first. Total: the node id breaks every remaining tie,
/// so the same input always ranks the same way.
/// </summary>
/// <param name="ExtraLabels">Agent labels the filter does not need (all labels when the filter is empty).</param>
/// <param name="Warm">The agent ran the request's repository recently.</param>
internal readonly record struct RankKey(int ExtraLabels, int Running, int Capacity, bool Warm, DateTimeOffset? LastAssignedAt, string NodeId)
{
    public static IComparer<RankKey> Comparer { get; } = Comparer<RankKey>.Create(Compare);

    public static RankKey For(AgentCandidate agent, PlacementRequest request) => new(
        CountExtraLabels(agent.Labels, request.Filter.MentionedLabels),
        agent.Running,
        agent.Capacity,
        agent.RecentRepositories.Contains(request.Repository)
            || agent.RecentRepositories.Any(repo => string.Equals(repo, request.Repository, StringComparison.OrdinalIgnoreCase)),
        agent.LastAssignedAt,
        agent.NodeId);

    /// <summary>A label is needed when the filter names it, or names its key (for "key:value").</summary>
    internal static int CountExtraLabels(IReadOnlyList<string> labels, IReadOnlySet<string> mentioned)
    {
        int extra = 0;
        foreach (var label in labels)
        {
            var key = KeyValueLabel.KeyOf(label);
            bool needed = mentioned.Contains(label.Trim().ToLowerInvariant()) || (key is not null && mentioned.Contains(key.ToLowerInvariant()));
            extra += needed ? 0 : 1;
        }
        return extra;
    }

    private static int Compare(RankKey a, RankKey b)
    {
        int byFit = a.ExtraLabels.CompareTo(b.ExtraLabels);
        if (byFit != 0)
        {
            return byFit;
        }
        // Running/Capacity compared without division; capacities are positive for available agents.
        int byLoad = ((long)a.Running * b.Capacity).CompareTo((long)b.Running * a.Capacity);
        if (byLoad != 0)
        {
            return byLoad;
        }
        int byWarmth = b.Warm.CompareTo(a.Warm);
        if (byWarmth != 0)
        {
            return byWarmth;
        }
        int byLastAssigned = Nullable.Compare(a.LastAssignedAt, b.LastAssignedAt); // null (never) sorts first
        return byLastAssigned != 0 ? byLastAssigned : string.CompareOrdinal(a.NodeId, b.NodeId);
    }
}
