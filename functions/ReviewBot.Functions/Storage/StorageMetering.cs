using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ReviewBot.Functions.Storage;

/// <summary>
/// Counts the storage transactions this instance makes, per table or container (its name without the prefix) and
/// operation, and the entities table reads return: the figures a bill is made of (every request is a billed
/// transaction, whatever its status; a batch of up to 100 writes in one partition is one).
/// Published on the meter <see cref="MeterName"/> (instruments <c>reviewbot.storage.transactions</c> and
/// <c>reviewbot.storage.entities_read</c>, tags <c>resource</c> and <c>operation</c>) and as totals since start
/// (<see cref="Transactions"/>, <see cref="EntitiesRead"/>) for the bench, which reads them in process.
/// </summary>
public sealed class StorageMetering : IDisposable
{
    public const string MeterName = "ReviewBot.Storage";

    private readonly Counter<long> _transactions;
    private readonly Counter<long> _entities;
    private readonly ConcurrentDictionary<(string Resource, string Operation), long> _transactionTotals = new();
    private readonly ConcurrentDictionary<(string Resource, string Operation), long> _entityTotals = new();

    public StorageMetering()
    {
        Meter = new Meter(MeterName);
        _transactions = Meter.CreateCounter<long>("reviewbot.storage.transactions", "{transaction}", "Storage requests made (each one billed).");
        _entities = Meter.CreateCounter<long>("reviewbot.storage.entities_read", "{entity}", "Table entities returned by point reads and queries.");
    }

    /// <summary>This account's meter (one per <see cref="StorageAccount"/>, so a test listens to its own app only).</summary>
    public Meter Meter { get; }

    /// <summary>Transactions since start, per (resource, operation).</summary>
    public IReadOnlyDictionary<(string Resource, string Operation), long> Transactions => _transactionTotals;

    /// <summary>Entities returned by table reads since start, per (resource, operation: point-read or query).</summary>
    public IReadOnlyDictionary<(string Resource, string Operation), long> EntitiesRead => _entityTotals;

    /// <summary>The policy to add to the options of the client of <paramref name="resource"/>.</summary>
    public HttpPipelinePolicy PolicyFor(string resource, bool table) => new Policy(this, resource, table);

    private void Count(string resource, string operation, int entities)
    {
        var tags = new TagList { { "resource", resource }, { "operation", operation } };
        _transactions.Add(1, tags);
        _transactionTotals.AddOrUpdate((resource, operation), 1, (_, n) => n + 1);
        if (entities <= 0) return;
        _entities.Add(entities, tags);
        _entityTotals.AddOrUpdate((resource, operation), entities, (_, n) => n + entities);
    }

    public void Dispose() => Meter.Dispose();

    private sealed class Policy(StorageMetering metering, string resource, bool table) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            Record(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            Record(message);
        }

        private void Record(HttpMessage message)
        {
            var operation = table ? TableOperation(message.Request) : BlobOperation(message.Request);
            var entities = 0;
            if (table && message.HasResponse && message.Response.Status == 200 && message.Request.Method == RequestMethod.Get)
                entities = operation == "point-read" ? 1 : CountEntities(message.Response);
            metering.Count(resource, operation, entities);
        }

        private static string TableOperation(Request request)
        {
            var path = request.Uri.Path;
            var method = request.Method;
            if (path.EndsWith("/$batch", StringComparison.Ordinal)) return "batch";
            if (path.EndsWith("/Tables", StringComparison.Ordinal) || path.Contains("/Tables(", StringComparison.Ordinal)) return "table";
            var addressed = path.Contains("PartitionKey=", StringComparison.Ordinal);
            if (method == RequestMethod.Get) return addressed ? "point-read" : "query";
            if (method == RequestMethod.Post) return "insert";
            if (method == RequestMethod.Put) return "replace";
            if (method == RequestMethod.Delete) return "delete";
            return "merge";
        }

        private static string BlobOperation(Request request)
        {
            var query = request.Uri.Query;
            var method = request.Method;
            if (query.Contains("comp=list", StringComparison.Ordinal)) return "list";
            if (query.Contains("restype=container", StringComparison.Ordinal)) return "container";
            if (method == RequestMethod.Get) return "read";
            if (method == RequestMethod.Head) return "properties";
            if (method == RequestMethod.Delete) return "delete";
            return "write";
        }

        /// <summary>The items of the top-level "value" array of a query's answer (buffered by the pipeline).</summary>
        private static int CountEntities(Response response)
        {
            if (response.ContentStream is not MemoryStream { } buffered || !buffered.TryGetBuffer(out var bytes)) return 0;
            var reader = new Utf8JsonReader(bytes);
            var count = 0;
            var inValue = false;
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName) inValue = reader.ValueTextEquals("value");
                else if (inValue && reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.StartObject) count++;
            }
            return count;
        }
    }
}
