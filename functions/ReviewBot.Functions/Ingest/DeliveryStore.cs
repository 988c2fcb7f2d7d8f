using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// Webhook deliveries seen, for deduplication.
/// Key scheme: PartitionKey = source ("github"), RowKey = the delivery id (X-GitHub-Delivery, a GUID),
/// escaped by <see cref="TableKeys.Escape"/>. A row is written only after the delivery's work is persisted,
/// so a crash in between makes the redelivery do the (idempotent) work again rather than lose it.
/// </summary>
public sealed class DeliveryStore(StorageAccount account, TimeProvider time)
{
    public async Task<bool> ExistsAsync(string source, string deliveryId, CancellationToken ct)
    {
        var row = await account.Deliveries.GetEntityIfExistsAsync<TableEntity>(source, TableKeys.Escape(deliveryId), select: ["PartitionKey"], cancellationToken: ct);
        return row.HasValue;
    }

    /// <summary>Records the delivery; false when it was already recorded (a concurrent duplicate).</summary>
    public async Task<bool> TryRecordAsync(string source, string deliveryId, string eventName, string? action, int tasksCreated, CancellationToken ct)
    {
        var entity = new TableEntity(source, TableKeys.Escape(deliveryId))
        {
            ["Event"] = eventName,
            ["Action"] = action,
            ["TasksCreated"] = tasksCreated,
            ["ReceivedAt"] = time.GetUtcNow(),
        };
        try
        {
            await account.Deliveries.AddEntityAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}
