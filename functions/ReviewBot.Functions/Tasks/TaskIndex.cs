using Azure;
using Azure.Data.Tables;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// The index rows (<see cref="TaskIndexKeys"/>): written before the task, removed after it, read newest first.
/// A row has no columns of its own: what a list filters on is read from the task, which is the truth.
/// A row is removed only if it is older than the version of the task that no longer yields it, so a row that a
/// concurrent writer has just added for its own version (it upserts before writing the task) is never taken away.
/// Two tables: <paramref name="active"/> holds the partitions of <see cref="TaskIndexKeys.IsActive"/> (supersede, the
/// queue, recovery, reporting: small, read on every delivery and start), <paramref name="history"/> the others (lists,
/// retention: they grow with history and are read a page at a time). The cost of a partition query is bounded by the
/// partition on Table Storage, but by the whole table on some stores (Azurite filters every row of a table): the split
/// keeps the hot path's reads independent of history on both.
/// </summary>
internal sealed class TaskIndex(TableClient history, TableClient active)
{
    /// <summary>Requests in flight at once for one index write or page (point reads of a page included).</summary>
    public const int Parallelism = 16;

    /// <summary>Upserts <paramref name="keys"/>: one request per partition (a batch where several rows share one),
    /// partitions in parallel. Returns the ETag each row was written with (rows whose answer carried none are left out).</summary>
    public async Task<IReadOnlyDictionary<TaskIndexKey, string>> AddAsync(IEnumerable<TaskIndexKey> keys, CancellationToken ct)
    {
        var written = new System.Collections.Concurrent.ConcurrentDictionary<TaskIndexKey, string>();
        await Parallel.ForEachAsync(keys.GroupBy(k => k.PartitionKey), Options(ct), async (partition, token) =>
        {
            var table = TableOf(partition.Key);
            var rows = partition.ToList();
            if (rows.Count == 1)
            {
                var response = await table.UpsertEntityAsync(new TableEntity(rows[0].PartitionKey, rows[0].RowKey), TableUpdateMode.Replace, token);
                if (response.Headers.ETag is { } etag) written[rows[0]] = etag.ToString();
            }
            else
                foreach (var chunk in rows.Chunk(100))
                {
                    var answers = await table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                        new TableEntity(k.PartitionKey, k.RowKey))), token);
                    for (var i = 0; i < chunk.Length && i < answers.Value.Count; i++)
                        if (answers.Value[i].Headers.ETag is { } etag) written[chunk[i]] = etag.ToString();
                }
        });
        return written;
    }

    /// <summary>Removes each of <paramref name="keys"/> whose row was written before <paramref name="before"/> (the
    /// time the task's new version was written): a row written since belongs to a later writer.</summary>
    public Task RemoveOlderAsync(IEnumerable<TaskIndexKey> keys, DateTimeOffset before, CancellationToken ct) =>
        RemoveStaleAsync(keys, new Dictionary<TaskIndexKey, string>(), before, ct);

    /// <summary>Removes rows a new version of their task no longer yields: one with a known ETag (the task recorded the
    /// version it wrote) by a delete on that ETag, without a read (a row written again since has another ETag and stays);
    /// one without, by a read and a delete if it was written before <paramref name="before"/> (null: it stays, for the
    /// readers' repair).</summary>
    public Task RemoveStaleAsync(IEnumerable<TaskIndexKey> keys, IReadOnlyDictionary<TaskIndexKey, string> known, DateTimeOffset? before, CancellationToken ct) =>
        Parallel.ForEachAsync(keys, Options(ct), async (k, token) =>
        {
            if (known.TryGetValue(k, out var etag))
            {
                await RemoveAsync(new TableEntity(k.PartitionKey, k.RowKey) { ETag = new ETag(etag) }, token);
                return;
            }
            if (before is not { } cutoff) return;
            var row = await TableOf(k.PartitionKey).GetEntityIfExistsAsync<TableEntity>(k.PartitionKey, k.RowKey, cancellationToken: token);
            if (row.HasValue && row.Value!.Timestamp < cutoff) await RemoveAsync(row.Value, token);
        });

    /// <summary>Deletes <paramref name="row"/> if it is unchanged since it was read.</summary>
    public async Task RemoveAsync(ITableEntity row, CancellationToken ct)
    {
        try { await TableOf(row.PartitionKey).DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, ct); }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { } // gone, or written again since: not ours to remove
    }

    /// <summary>At most <paramref name="max"/> rows of <paramref name="partition"/> in row-key order, after
    /// <paramref name="after"/> and before <paramref name="before"/> (both exclusive, both optional).</summary>
    public async Task<List<TableEntity>> RowsAsync(string partition, string? after, string? before, int max, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (after is not null) filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
        if (before is not null) filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {before}");
        var rows = new List<TableEntity>();
        if (max <= 0) return rows;
        await foreach (var row in TableOf(partition).QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: ct))
        {
            rows.Add(row);
            if (rows.Count >= max) break;
        }
        return rows;
    }

    private TableClient TableOf(string partition) => TaskIndexKeys.IsActive(partition) ? active : history;

    public static ParallelOptions Options(CancellationToken ct) => new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct };
}
