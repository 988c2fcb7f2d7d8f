using ReviewBot.Core.Labels;

namespace ReviewBot.Core.Placement;

public enum AgentState { Online, Draining, Paused, Offline }

/// <summary>What the router knows of one agent when it places a task.</summary>
/// <param name="RecentRepositories">Repositories (owner/name) this agent ran recently: a warm clone.</param>
/// <param name="LastAssignedAt">When it last received a task; null = never.</param>
public sealed record AgentCandidate(
    string NodeId,
    string Name,
    IReadOnlyList<string> Labels,
    bool Exclusive,
    int Capacity,
    int Running,
    AgentState State,
    IReadOnlySet<string> RecentRepositories,
    DateTimeOffset? LastAssignedAt);

/// <param name="Excluded">Nodes not to try again for this placement (refused, timed out, suspect).</param>
public sealed record PlacementRequest(LabelFilter Filter, string Repository, IReadOnlySet<string> Excluded);

/// <summary>Candidates in the order to try; when empty, <see cref="WaitReason"/> says why in words a user understands.</summary>
public sealed record PlacementDecision(IReadOnlyList<AgentCandidate> Ranked, string? WaitReason);

/// <summary>
/// Pure routing decision (DESIGN §3 "Choosing a node"). Candidates are online, below capacity and not excluded; with a
/// filter they must match it; without one, unlabelled agents are preferred, else any non-exclusive agent. Exclusive
/// agents never take a task without a filter. Order: best fit, lowest load, warm clone, least recently assigned, node id.
/// </summary>
public static class AgentSelector
{
    public static PlacementDecision Rank(PlacementRequest request, IReadOnlyCollection<AgentCandidate> agents) =>
        Rank(request, agents, int.MaxValue);

    /// <summary>Like <see cref="Rank(PlacementRequest, IReadOnlyCollection{AgentCandidate})"/>, keeping only the best
    /// <paramref name="limit"/> candidates: the dispatcher tries a few and ranks again on its next pass, so with
    /// thousands of agents it need not sort them all.</summary>
    public static PlacementDecision Rank(PlacementRequest request, IReadOnlyCollection<AgentCandidate> agents, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(agents);

        var available = agents.Where(agent => IsAvailable(agent, request.Excluded)).ToList();
        var eligible = request.Filter.IsEmpty
            ? PreferUnlabelled(available.Where(agent => !agent.Exclusive).ToList())
            : available.Where(agent => request.Filter.Matches(agent.Labels)).ToList();

        if (eligible.Count == 0)
        {
            return new PlacementDecision([], WaitReason.Explain(request, agents));
        }
        if (limit >= eligible.Count)
        {
            var ranked = eligible
                .Select(agent => (Agent: agent, Key: RankKey.For(agent, request)))
                .OrderBy(pair => pair.Key, RankKey.Comparer)
                .Select(pair => pair.Agent)
                .ToList();
            return new PlacementDecision(ranked, WaitReason: null);
        }
        return new PlacementDecision(Best(eligible, request, limit), WaitReason: null);
    }

    /// <summary>The best <paramref name="limit"/> in order, in one pass: a small sorted buffer, O(n·limit).</summary>
    private static List<AgentCandidate> Best(List<AgentCandidate> eligible, PlacementRequest request, int limit)
    {
        var best = new List<(AgentCandidate Agent, RankKey Key)>(limit + 1);
        foreach (var agent in eligible)
        {
            var key = RankKey.For(agent, request);
            if (best.Count == limit && RankKey.Comparer.Compare(key, best[^1].Key) >= 0) continue;
            var at = best.Count;
            while (at > 0 && RankKey.Comparer.Compare(key, best[at - 1].Key) < 0) at--;
            best.Insert(at, (agent, key));
            if (best.Count > limit) best.RemoveAt(limit);
        }
        return [.. best.Select(b => b.Agent)];
    }

    /// <summary>Can take a task now: online, a free slot, and not already tried for this placement.</summary>
    internal static bool IsAvailable(AgentCandidate agent, IReadOnlySet<string> excluded)
        => agent.State == AgentState.Online && agent.Running < agent.Capacity && !excluded.Contains(agent.NodeId);

    private static List<AgentCandidate> PreferUnlabelled(List<AgentCandidate> nonExclusive)
    {
        var unlabelled = nonExclusive.Where(agent => agent.Labels.Count == 0).ToList();
        return unlabelled.Count > 0 ? unlabelled : nonExclusive;
    }
}
