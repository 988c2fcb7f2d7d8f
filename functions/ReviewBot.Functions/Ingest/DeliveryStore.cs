using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// Webhook deliveries seen, for deduplication. Key scheme, two kinds of rows in the deliveries table:
/// <list type="bullet">
/// <item>the dedupe row: PartitionKey = source ("github", "gitlab"), RowKey = the delivery id (X-GitHub-Delivery, a GUID)
///   escaped by <see cref="TableKeys.Escape"/>; columns Event, Action, TasksCreated, ReceivedAt, Expiry (the row key of its
///   expiry row). Found by one point read.</item>
/// <item>the expiry row: PartitionKey = <see cref="ExpiryPartition"/>, RowKey = <c>{ReceivedAt ticks:D19}|{source}|{escaped id}</c>,
///   so the rows that arrived before a cutoff are one range read from the partition's start (<see cref="ExpireAsync"/>).</item>
/// </list>
/// The expiry row is written before the dedupe row and deleted after it, so every dedupe row has one (a crash in between
/// leaves an expiry row pointing at nothing, which the next expiry removes). A dedupe row is written only after the
/// delivery's work is persisted, so a crash in between makes the redelivery do the (idempotent) work again rather than
/// lose it. Rows written before expiry rows existed (no Expiry column) are given one, or deleted when old, by the one-time
/// pass <see cref="IndexLegacyAsync"/>.
/// </summary>
public sealed class DeliveryStore(StorageAccount account, TimeProvider time)
{
    /// <summary>Sorts after every source name ('~' is after the letters), so the legacy pass reads sources only.</summary>
    public const string ExpiryPartition = "~expiry";

    public async Task<bool> ExistsAsync(string source, string deliveryId, CancellationToken ct)
    {
        var row = await account.Deliveries.GetEntityIfExistsAsync<TableEntity>(source, TableKeys.Escape(deliveryId), select: ["PartitionKey"], cancellationToken: ct);
        return row.HasValue;
    }

    /// <summary>Records the delivery; false when it was already recorded (a concurrent duplicate).</summary>
    public async Task<bool> TryRecordAsync(string source, string deliveryId, string eventName, string? action, int tasksCreated, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var row = TableKeys.Escape(deliveryId);
        var expiry = ExpiryKey(now, source, row);
        await account.Deliveries.UpsertEntityAsync(new TableEntity(ExpiryPartition, expiry), TableUpdateMode.Replace, ct);
        var entity = new TableEntity(source, row)
        {
            ["Event"] = eventName,
            ["Action"] = action,
            ["TasksCreated"] = tasksCreated,
            ["ReceivedAt"] = now,
            ["Expiry"] = expiry,
        };
        try
        {
            await account.Deliveries.AddEntityAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Recorded before (a redelivery, or a concurrent duplicate): that record has its own expiry row, ours goes.
            await DeleteIfExistsAsync(ExpiryPartition, expiry, ct);
            return false;
        }
    }

    /// <summary>Deletes the dedupe rows of at most <paramref name="limit"/> deliveries received before
    /// <paramref name="cutoff"/>, oldest first, with their expiry rows; returns how many expiry rows went (0: none is older).</summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ExpiryPartition} and RowKey lt {Ticks(cutoff)}");
        var expired = new List<string>();
        await foreach (var e in account.Deliveries.QueryAsync<TableEntity>(filter, maxPerPage: limit, select: ["RowKey"], cancellationToken: ct))
        {
            expired.Add(e.RowKey);
            if (expired.Count == limit) break;
        }

        foreach (var key in expired)
        {
            var parts = key.Split('|', 3);
            if (parts.Length == 3) await DeleteIfExistsAsync(parts[1], parts[2], ct);
        }

        foreach (var chunk in expired.Chunk(100))
            await account.Deliveries.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete,
                new TableEntity(ExpiryPartition, k), ETag.All)), ct);
        return expired.Count;
    }

    /// <summary>
    /// One batch of the one-time pass over dedupe rows written before expiry rows existed: each such row received before
    /// <paramref name="cutoff"/> is deleted, each younger one gets its expiry row. Reads at most <paramref name="limit"/>
    /// rows after the position <paramref name="after"/> (source and row key); returns the position to continue from,
    /// null when the pass is over. Rows written since have their expiry row and are skipped.
    /// </summary>
    public async Task<(int Deleted, string? Next)> IndexLegacyAsync(DateTimeOffset cutoff, string? after, int limit, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {ExpiryPartition}");
        if (after?.Split('\n', 2) is [var pk, var rk])
            filter += " and " + TableClient.CreateQueryFilter($"(PartitionKey gt {pk} or (PartitionKey eq {pk} and RowKey gt {rk}))");
        var read = 0;
        var deleted = 0;
        string? last = null;
        await foreach (var e in account.Deliveries.QueryAsync<TableEntity>(filter, maxPerPage: limit, select: ["PartitionKey", "RowKey", "ReceivedAt", "Expiry"], cancellationToken: ct))
        {
            last = e.PartitionKey + "\n" + e.RowKey;
            if (e.GetString("Expiry") is null)
            {
                var received = e.GetDateTimeOffset("ReceivedAt") ?? DateTimeOffset.MinValue;
                if (received < cutoff)
                {
                    await DeleteIfExistsAsync(e.PartitionKey, e.RowKey, ct);
                    deleted++;
                }
                else
                {
                    await account.Deliveries.UpsertEntityAsync(new TableEntity(ExpiryPartition, ExpiryKey(received, e.PartitionKey, e.RowKey)), TableUpdateMode.Replace, ct);
                }
            }

            if (++read == limit) break;
        }

        return (deleted, read < limit ? null : last);
    }

    private async Task DeleteIfExistsAsync(string partition, string row, CancellationToken ct)
    {
        try
        {
            await account.Deliveries.DeleteEntityAsync(partition, row, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Deleted by another pass already, or never written (a crash after the expiry row).
        }
    }

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static string ExpiryKey(DateTimeOffset receivedAt, string source, string escapedId) => $"{Ticks(receivedAt)}|{source}|{escapedId}";
}
