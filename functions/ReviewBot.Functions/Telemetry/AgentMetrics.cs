using System.Diagnostics.Metrics;
using ReviewBot.Core.Placement;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Hosting.Diagnostics;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Telemetry;

/// <summary>
/// What the agents and the queue look like now (meter <c>ReviewBot.Agents</c>), read when a scrape or an export asks:
/// <list type="bullet">
/// <item><c>reviewbot.agents</c>: agents this instance knows, by <c>state</c> (idle, busy, draining, paused, offline;
/// every state reported, 0 included).</item>
/// <item><c>reviewbot.agents.connected</c>: agents with a live connection to this instance.</item>
/// <item><c>reviewbot.agents.free_capacity</c>: free task slots of the agents that take work now.</item>
/// <item><c>reviewbot.tasks.queued</c>: tasks waiting for a node on this instance, by <c>label_filter</c> (the task's
/// node label filter, "none" for none; capped, <see cref="ReviewBotMeters.LabelFilters"/>).</item>
/// <item><c>reviewbot.heartbeats</c>, <c>reviewbot.lastping_table_transactions</c>: counters since start.</item>
/// </list>
/// </summary>
public sealed class AgentMetrics
{
    private static readonly string[] States = ["idle", "busy", "draining", "paused", "offline"];

    public AgentMetrics(ReviewBotMeters meters, AgentRegistry registry, NodeStore nodes, TaskQueue queue, TimeProvider time)
    {
        var meter = meters.Create("Agents");
        meter.CreateObservableGauge("reviewbot.agents", () => ByState(registry, time.GetUtcNow()), "{agent}", "Agents this instance knows, by state.");
        meter.CreateObservableGauge("reviewbot.agents.connected", () => Connected(registry), "{agent}", "Agents with a live connection to this instance.");
        meter.CreateObservableGauge("reviewbot.agents.free_capacity", () => FreeCapacity(registry, time.GetUtcNow()), "{slot}", "Free task slots of the agents that take work now.");
        meter.CreateObservableGauge("reviewbot.tasks.queued", () => Queued(queue, meters.LabelFilters), "{task}", "Tasks waiting for a node on this instance, by label filter.");
        meter.CreateObservableCounter("reviewbot.heartbeats", () => registry.HeartbeatsReceived, "{heartbeat}", "Agent heartbeats received.");
        meter.CreateObservableCounter("reviewbot.lastping_table_transactions", () => nodes.LastPingTransactions, "{transaction}",
            "Table requests made to store last-ping times (batched).");
    }

    /// <summary>The state the agents gauge reports for a node (read under its lock).</summary>
    internal static string StateOf(AgentPresence node, DateTimeOffset now) =>
        node.ConnectionId is null || node.State == AgentState.Offline ? "offline"
        : node.Draining || node.DrainRequested || node.State == AgentState.Draining ? "draining"
        : node.State == AgentState.Paused || node.PausedUntil > now ? "paused"
        : node.Tasks.Count > 0 ? "busy"
        : "idle";

    private static IEnumerable<Measurement<int>> ByState(AgentRegistry registry, DateTimeOffset now)
    {
        var counts = States.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        foreach (var node in registry.All)
            lock (node.Gate)
                counts[StateOf(node, now)]++;
        return counts.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("state", c.Key)));
    }

    private static int Connected(AgentRegistry registry)
    {
        var count = 0;
        foreach (var node in registry.All)
            lock (node.Gate)
                if (node.ConnectionId is not null) count++;
        return count;
    }

    private static int FreeCapacity(AgentRegistry registry, DateTimeOffset now)
    {
        var free = 0;
        foreach (var node in registry.All)
            lock (node.Gate)
            {
                var state = StateOf(node, now);
                if (state is not ("idle" or "busy") || node.Once && node.OnceSpent) continue;
                free += node.Exclusive && node.Tasks.Count > 0 ? 0 : Math.Max(0, node.Capacity - node.Tasks.Count);
            }
        return free;
    }

    private static IEnumerable<Measurement<int>> Queued(TaskQueue queue, TagCap filters)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var queued in queue.InOrder())
        {
            var filter = filters.Of(queued.Task.NodeLabels);
            counts[filter] = counts.GetValueOrDefault(filter) + 1;
        }
        if (counts.Count == 0) counts[TagCap.None] = 0;
        return counts.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("label_filter", c.Key)));
    }
}
