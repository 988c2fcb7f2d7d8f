using ReviewBot.Core.Labels;

namespace ReviewBot.Core.Placement;

/// <summary>A queued task as demand sees it: the label filter it waits for and since when.</summary>
public sealed record QueuedDemand(LabelFilter Filter, DateTimeOffset QueuedAt);

/// <summary>
/// The queued tasks of one label filter and the agents that could take them.
/// <paramref name="OnlineAgents"/>: online agents the filter lets take the tasks (for no filter: the non-exclusive
/// ones); <paramref name="FreeCapacity"/>: their free slots; <paramref name="NeedNewAgents"/>: the tasks those slots
/// cannot take (<c>Queued - FreeCapacity</c>, at least 0), the number an autoscaler should start agents for.
/// </summary>
public sealed record DemandGroup(string Filter, int Queued, DateTimeOffset OldestQueuedAt, int OnlineAgents, int FreeCapacity, int NeedNewAgents);

/// <summary>
/// Queue demand for autoscalers (<c>GET /api/queue</c>): queued tasks grouped by the text of their label filter, each
/// group with the online agents that match it and their free capacity. Pure. An agent that matches several groups
/// counts in each (the groups are read one at a time by autoscalers, each starting its own kind of agent); draining,
/// paused and spent once-agents are not online and count nowhere.
/// </summary>
public static class QueueDemand
{
    public static IReadOnlyList<DemandGroup> Compute(IEnumerable<QueuedDemand> queued, IReadOnlyCollection<AgentCandidate> agents)
    {
        ArgumentNullException.ThrowIfNull(queued);
        ArgumentNullException.ThrowIfNull(agents);
        var online = agents.Where(a => a.State == AgentState.Online).ToList();
        return [.. queued
            .GroupBy(q => q.Filter.Text, StringComparer.Ordinal)
            .Select(g =>
            {
                var filter = g.First().Filter;
                var fitting = online.Where(a => Fits(filter, a)).ToList();
                var free = fitting.Sum(a => Math.Max(0, a.Capacity - a.Running));
                var count = g.Count();
                return new DemandGroup(g.Key, count, g.Min(q => q.QueuedAt), fitting.Count, free, Math.Max(0, count - free));
            })
            .OrderByDescending(d => d.NeedNewAgents)
            .ThenBy(d => d.OldestQueuedAt)
            .ThenBy(d => d.Filter, StringComparer.Ordinal)];
    }

    /// <summary>Could an agent with these labels take a task of this filter (routing's rule: a filter must match; no
    /// filter takes any non-exclusive agent)?</summary>
    public static bool Fits(LabelFilter filter, AgentCandidate agent) =>
        filter.IsEmpty ? !agent.Exclusive : filter.Matches(agent.Labels);

    /// <summary>Could a new agent with <paramref name="labels"/> take a task of <paramref name="filter"/>? (A new
    /// agent is not exclusive unless it says so.)</summary>
    public static bool Fits(LabelFilter filter, IReadOnlyCollection<string> labels, bool exclusive) =>
        filter.IsEmpty ? !exclusive : filter.Matches(labels);
}
