using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ReviewBot.Bench.Scenarios.PrCost;

/// <summary>
/// Counts the storage requests (= billed transactions: every attempt, every page of a query, one per batch) that the
/// Azure SDK clients of THIS process send under one storage prefix, by table or container and operation. It listens to
/// the Azure SDK's own event source ("Azure-Core", event Request: method and URI of each attempt), so the app needs no
/// change; the app must run in this process (<see cref="Harness.InProcessApp"/>).
/// When the app meters its own storage transactions (Storage/, System.Diagnostics.Metrics), this is replaced by
/// reading that meter.
/// </summary>
public sealed class StorageTransactionCounter : EventListener
{
    private const string SourceName = "Azure-Core";

    // Field initializers run before EventListener's constructor, which already calls OnEventSourceCreated.
    private readonly ConcurrentDictionary<(string Resource, string Operation), int> _counts = new();
    private volatile string? _prefix;

    /// <summary>Counts requests to tables and containers whose names start with <paramref name="prefix"/>.</summary>
    public StorageTransactionCounter(string prefix) => _prefix = prefix;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == SourceName) EnableEvents(eventSource, EventLevel.Informational);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "Request" || e.PayloadNames is null || e.Payload is null || _prefix is not { } prefix) return;
        var method = Payload(e, "method");
        var uri = Payload(e, "uri");
        if (method is null || uri is null || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) return;
        if (Classify(method, parsed, prefix) is { } key) _counts.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    private static string? Payload(EventWrittenEventArgs e, string name)
    {
        var i = e.PayloadNames!.IndexOf(name);
        return i >= 0 ? e.Payload![i]?.ToString() : null;
    }

    /// <summary>A copy of the counts so far.</summary>
    public IReadOnlyDictionary<(string Resource, string Operation), int> Snapshot() => new Dictionary<(string, string), int>(_counts);

    /// <summary>
    /// (table or container without the prefix, operation) of one request, or null when it is not under the prefix.
    /// Tables: entity paths "name(PartitionKey='…',RowKey='…')" (point read, replace, merge, delete), "name()" or
    /// "name" (query, insert), "$batch" (an entity group transaction: its table is in the body). Containers are
    /// "prefix-name" (StorageAccount names them so): blob operations by method and comp.
    /// </summary>
    public static (string Resource, string Operation)? Classify(string method, Uri uri, string prefix)
    {
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var query = uri.Query;
        if (segments.Contains("$batch")) return ("(any table)", "batch (entity group transaction)");
        var at = segments.FindIndex(s => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || s.StartsWith($"Tables('{prefix}", StringComparison.OrdinalIgnoreCase));
        if (at < 0)
            return segments.LastOrDefault() == "Tables" && method == "POST" ? ("(tables)", "create table") : null;
        var name = segments[at];
        if (name.StartsWith("Tables(", StringComparison.Ordinal)) return ("(tables)", $"{method} table");
        var rest = name[prefix.Length..];
        if (rest.StartsWith('-'))
        {
            var container = rest[1..] + " (blobs)";
            var isBlob = segments.Count > at + 1;
            var comp = QueryValue(query, "comp");
            var op = (method, isBlob, comp) switch
            {
                ("PUT", false, _) => "create container",
                ("GET", false, "list") => "list blobs",
                ("PUT", true, null) => "put blob",
                ("PUT", true, "appendblock") => "append block",
                ("PUT", true, "metadata") => "set metadata",
                ("PUT", true, "block") => "put block",
                ("PUT", true, "blocklist") => "put block list",
                ("PUT", true, "lease") => "lease",
                ("GET", true, null) => "get blob",
                ("HEAD", true, _) => "get properties",
                ("DELETE", true, _) => "delete blob",
                _ => $"{method}{(comp is null ? "" : " comp=" + comp)}",
            };
            return (container, op);
        }
        var paren = rest.IndexOf('(');
        var table = paren < 0 ? rest : rest[..paren];
        var keyed = paren >= 0 && rest.Contains("PartitionKey", StringComparison.Ordinal);
        var operation = (method, keyed) switch
        {
            ("GET", true) => "point read",
            ("GET", false) => "query (one page)",
            ("POST", _) => "insert",
            ("PUT", _) => "replace or upsert",
            ("MERGE", _) or ("PATCH", _) => "merge",
            ("DELETE", _) => "delete",
            _ => method,
        };
        return (table, operation);
    }

    private static string? QueryValue(string query, string name)
    {
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2);
            if (kv[0].Equals(name, StringComparison.OrdinalIgnoreCase)) return kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return null;
    }

    public override void Dispose()
    {
        _prefix = null;
        base.Dispose();
    }
}
