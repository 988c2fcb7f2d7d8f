using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Stats;

/// <summary>
/// What one hour (UTC) saw, kept as one row of <see cref="RollupStore"/>: tasks that ended in it by final state, their
/// queue and run times (<see cref="Histogram"/>), findings by repository, and per agent the seconds it spent running
/// tasks in this hour (a run spanning hours counts in each) against its capacity. Maps are bounded: past
/// <see cref="MaxRepositories"/> repositories or <see cref="MaxAgents"/> agents in one hour the rest count under
/// <see cref="Other"/>, so a row never outgrows a table entity.
/// </summary>
public sealed class HourRollup
{
    public const int MaxRepositories = 50;
    public const int MaxAgents = 100;
    public const string Other = "(other)";

    /// <summary>Final state (lower case, as the API names it) → tasks that ended in that state in this hour.</summary>
    public Dictionary<string, int> States { get; set; } = [];

    /// <summary>Created (or last queued) → started, for tasks that ended in this hour after starting.</summary>
    public Histogram Queue { get; set; } = new();

    /// <summary>Started → ended, for tasks that ended in this hour after starting.</summary>
    public Histogram Run { get; set; } = new();

    /// <summary>Repository → findings of the tasks that ended in this hour.</summary>
    public Dictionary<string, int> Findings { get; set; } = [];

    /// <summary>Agent name → seconds spent running tasks within this hour.</summary>
    public Dictionary<string, double> BusySeconds { get; set; } = [];

    /// <summary>Agent name → its capacity (slots) as last seen while recording; busy / (capacity × 3600) is its utilisation.</summary>
    public Dictionary<string, int> Capacity { get; set; } = [];

    /// <summary>Counts a task that ended in this hour.</summary>
    public void AddEnding(ReviewTask t)
    {
        States[t.State.Name()] = States.GetValueOrDefault(t.State.Name()) + 1;
        if (t.StartedAt is { } started)
        {
            Queue.Add(started - (t.QueuedAt ?? t.CreatedAt));
            if (t.CompletedAt is { } ended) Run.Add(ended - started);
        }

        if (t.FindingCount > 0)
        {
            var repo = Findings.ContainsKey(t.Repository) || Findings.Count(k => k.Key != Other) < MaxRepositories ? t.Repository : Other;
            Findings[repo] = Findings.GetValueOrDefault(repo) + t.FindingCount;
        }
    }

    /// <summary>Adds <paramref name="seconds"/> of work in this hour to <paramref name="agent"/> with
    /// <paramref name="capacity"/> slots (the largest seen in the hour is kept; <see cref="Other"/> has none).</summary>
    public void AddBusy(string agent, double seconds, int capacity)
    {
        var name = BusySeconds.ContainsKey(agent) || BusySeconds.Count(k => k.Key != Other) < MaxAgents ? agent : Other;
        BusySeconds[name] = Math.Round(BusySeconds.GetValueOrDefault(name) + seconds, 3);
        if (name != Other) Capacity[name] = Math.Max(Math.Max(1, capacity), Capacity.GetValueOrDefault(name));
    }
}
