using ReviewBot.Functions.Routing.LabelFilters;

namespace ReviewBot.Functions.Routing;

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

/// <summary>Pure routing decision (DESIGN §3 "Choosing a node"). STUB: implementation being written.</summary>
public static class AgentSelector
{
    public static PlacementDecision Rank(PlacementRequest request, IReadOnlyCollection<AgentCandidate> agents)
        => throw new NotImplementedException();
}
