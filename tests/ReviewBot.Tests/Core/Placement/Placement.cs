using ReviewBot.Core.Labels;
using ReviewBot.Core.Placement;

namespace ReviewBot.Tests.Core.Placement;

/// <summary>Builders for selector tests: an idle, online, unlabelled, non-exclusive agent unless told otherwise.</summary>
internal static class Placement
{
    public const string Repository = "octo/widgets";

    public static AgentCandidate Node(
        string nodeId,
        string[]? labels = null,
        int capacity = 1,
        int running = 0,
        AgentState state = AgentState.Online,
        bool exclusive = false,
        string[]? recent = null,
        DateTimeOffset? lastAssignedAt = null)
        => new(nodeId, $"agent {nodeId}", labels ?? [], exclusive, capacity, running, state,
            new HashSet<string>(recent ?? []), lastAssignedAt);

    public static PlacementRequest Request(string filter = "", params string[] excluded)
        => new(LabelFilter.Parse(filter), Repository, new HashSet<string>(excluded));

    public static string[] RankedIds(PlacementRequest request, params AgentCandidate[] agents)
        => AgentSelector.Rank(request, agents).Ranked.Select(agent => agent.NodeId).ToArray();

    public static string? WaitReasonFor(PlacementRequest request, params AgentCandidate[] agents)
    {
        var decision = AgentSelector.Rank(request, agents);
        Assert.Empty(decision.Ranked);
        return decision.WaitReason;
    }
}
