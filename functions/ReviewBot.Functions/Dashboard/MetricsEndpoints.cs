using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Dashboard;

/// <summary>
/// <c>GET /api/metrics</c> in the Prometheus text format (0.0.4): agents, heartbeats, last-ping writes, the queue,
/// refused results, storage transactions, and the process's memory. Counters are since the start of this instance.
/// </summary>
public static class MetricsEndpoints
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/metrics", Get).WithTags("Metrics");
        return app;
    }

    public static ContentHttpResult Get([AsParameters] MetricSources sources) =>
        TypedResults.Text(Render(sources), ContentType, Encoding.UTF8);

    public static string Render(MetricSources s)
    {
        var text = new StringBuilder(1024);
        Write(text, "reviewbot_agents_connected", "gauge", "Agents with a live connection to this instance.", ConnectedAgents(s.Registry));
        Write(text, "reviewbot_heartbeats_total", "counter", "Agent heartbeats received.", s.Registry.HeartbeatsReceived);
        Write(text, "reviewbot_lastping_table_transactions_total", "counter", "Table requests made to store last-ping times (batched).", s.Nodes.LastPingTransactions);
        Write(text, "reviewbot_tasks_queued", "gauge", "Tasks waiting for an agent on this instance.", s.Queue.Count);
        Write(text, "reviewbot_results_refused_total", "counter", "Task results refused because their lease was no longer valid.", s.Lifecycle.RefusedResults);
        WriteStorage(text, s.Storage.Metering);
        Write(text, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", Environment.WorkingSet);
        Write(text, "dotnet_gc_heap_bytes", "gauge", "Bytes currently thought to be allocated on the managed heap (GC.GetTotalMemory(false)).", GC.GetTotalMemory(false));
        Write(text, "dotnet_gc_pause_seconds_total", "counter", "Time the runtime was paused for garbage collections.", GC.GetTotalPauseDuration().TotalSeconds);
        return text.ToString();
    }

    private static long ConnectedAgents(AgentRegistry registry)
    {
        long count = 0;
        foreach (var node in registry.All)
            lock (node.Gate)
                if (node.ConnectionId is not null) count++;
        return count;
    }

    /// <summary>Storage transactions and entities read, one line per table or container and operation
    /// (<see cref="StorageMetering"/>): the bench divides them by the pull requests it sent.</summary>
    private static void WriteStorage(StringBuilder text, StorageMetering metering)
    {
        WriteLabelled(text, "reviewbot_storage_transactions_total", "Storage requests made (each one a billed transaction), per table or container and operation.",
            metering.Transactions);
        WriteLabelled(text, "reviewbot_storage_entities_read_total", "Table entities returned by point reads and queries, per table and operation.",
            metering.EntitiesRead);
    }

    private static void WriteLabelled(StringBuilder text, string name, string help, IReadOnlyDictionary<(string Resource, string Operation), long> values)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(" counter\n");
        foreach (var ((resource, operation), value) in values.OrderBy(v => v.Key.Resource, StringComparer.Ordinal).ThenBy(v => v.Key.Operation, StringComparer.Ordinal))
            text.Append(name).Append("{resource=\"").Append(resource).Append("\",operation=\"").Append(operation).Append("\"} ")
                .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Write(StringBuilder text, string name, string type, string help, long value) =>
        Write(text, name, type, help, value.ToString(CultureInfo.InvariantCulture));

    private static void Write(StringBuilder text, string name, string type, string help, double value) =>
        Write(text, name, type, help, value.ToString("R", CultureInfo.InvariantCulture));

    private static void Write(StringBuilder text, string name, string type, string help, string value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
            .Append(name).Append(' ').Append(value).Append('\n');
}

/// <summary>Where the figures of <see cref="MetricsEndpoints"/> come from.</summary>
public sealed record MetricSources(AgentRegistry Registry, NodeStore Nodes, TaskQueue Queue, TaskLifecycle Lifecycle, StorageAccount Storage);
