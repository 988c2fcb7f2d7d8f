namespace ReviewBot.Core.Placement;

/// <summary>
/// Says in plain words why no agent can take a task now, with counts (DESIGN §3: "0 online; 3 match but busy;
/// 2 online, none has gpu"). Only called when <see cref="AgentSelector.Rank(PlacementRequest, IReadOnlyCollection{AgentCandidate})"/> found no candidate.
/// An agent "fits" when it could take the task if it were free: it matches the filter, or, for a task without a
/// filter, it is not exclusive.
/// </summary>
internal static class WaitReason
{
    public static string Explain(PlacementRequest request, IReadOnlyCollection<AgentCandidate> agents)
    {
        var filter = request.Filter;
        var fitting = agents.Where(agent => filter.IsEmpty ? !agent.Exclusive : filter.Matches(agent.Labels)).ToList();
        var fittingOnline = fitting.Where(agent => agent.State == AgentState.Online).ToList();
        return fittingOnline.Count > 0
            ? BusyOrTried(request, fittingOnline)
            : NoneOnline(request, agents, fitting);
    }

    /// <summary>Some fitting agents are online, yet none is available: each is full or was already tried.</summary>
    private static string BusyOrTried(PlacementRequest request, List<AgentCandidate> fittingOnline)
    {
        int tried = fittingOnline.Count(agent => request.Excluded.Contains(agent.NodeId));
        int busy = fittingOnline.Count - tried;
        if (busy == 0)
        {
            return tried == 1
                ? $"the only {Fitting(request)} agent was tried (refused or did not accept)"
                : $"all {tried} {Fitting(request)} agents were tried (refused or did not accept)";
        }
        var subject = Subject(request, fittingOnline.Count);
        if (tried == 0)
        {
            return busy == 1 ? $"{subject} but it is busy" : $"{subject} but all are busy";
        }
        return $"{subject} but {busy} {(busy == 1 ? "is" : "are")} busy and {tried} {(tried == 1 ? "was" : "were")} tried (refused or did not accept)";
    }

    private static string NoneOnline(PlacementRequest request, IReadOnlyCollection<AgentCandidate> agents, List<AgentCandidate> fitting)
    {
        var resting = fitting.Where(agent => agent.State is AgentState.Draining or AgentState.Paused).ToList();
        if (resting.Count > 0)
        {
            return $"{Subject(request, resting.Count)} but {(resting.Count == 1 ? "it is" : "they are")} {RestingStates(resting)}";
        }
        int online = agents.Count(agent => agent.State == AgentState.Online);
        if (online == 0)
        {
            return "no agent is online";
        }
        if (request.Filter.IsEmpty)
        {
            return $"only exclusive agents are online ({online}) and none matches: they take only tasks whose label filter matches them";
        }
        int offline = fitting.Count; // every fitting agent that is neither online nor resting is offline
        var reason = $"{Agents(online)} online, none matches '{request.Filter.Text}'";
        return offline == 0 ? reason : $"{reason} ({Agents(offline)} that {(offline == 1 ? "matches is" : "match are")} offline)";
    }

    private static string RestingStates(List<AgentCandidate> resting)
    {
        bool draining = resting.Any(agent => agent.State == AgentState.Draining);
        bool paused = resting.Any(agent => agent.State == AgentState.Paused);
        return draining && paused ? "draining or paused" : draining ? "draining" : "paused";
    }

    /// <summary>"3 agents match 'gpu'", or for a task without a filter "3 agents can take a task without a label filter".</summary>
    private static string Subject(PlacementRequest request, int count) => request.Filter.IsEmpty
        ? $"{Agents(count)} can take a task without a label filter"
        : $"{Agents(count)} {(count == 1 ? "matches" : "match")} '{request.Filter.Text}'";

    private static string Fitting(PlacementRequest request) => request.Filter.IsEmpty ? "suitable" : "matching";

    private static string Agents(int count) => count == 1 ? "1 agent" : $"{count} agents";
}
