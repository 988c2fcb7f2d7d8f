using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Retention;

/// <summary>
/// Where retention stands, shared by every instance. Key scheme: table <c>{prefix}retention</c>, one row, PartitionKey =
/// RowKey = "state". Columns: <c>Holder</c> and <c>HeldUntil</c> (the run's lease), and per kind of row retention deletes
/// (<see cref="RetentionKinds"/>) <c>{kind}Cutoff</c> and <c>{kind}After</c> (the pass in progress: its cutoff and the
/// position to continue after) and <c>{kind}Done</c> (one-time passes). Every write is checked against the ETag of the row
/// as last read or written, so of two instances only one takes the run, and a holder whose lease was taken over learns
/// it at its next batch and stops.
/// </summary>
public sealed class RetentionStateStore(StorageAccount account, TimeProvider time)
{
    private const string Key = "state";

    /// <summary>Takes the run for <paramref name="holder"/> until now + <paramref name="lease"/>; null when another holder's
    /// lease has not ended, or another instance took it at the same time.</summary>
    public async Task<RetentionRun?> TryBeginAsync(string holder, TimeSpan lease, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var found = await account.Retention.GetEntityIfExistsAsync<TableEntity>(Key, Key, cancellationToken: ct);
        var row = found.HasValue ? found.Value! : new TableEntity(Key, Key);
        if (found.HasValue && row.GetString("Holder") is { } other && other != holder && row.GetDateTimeOffset("HeldUntil") > now) return null;
        row["Holder"] = holder;
        row["HeldUntil"] = now + lease;
        try
        {
            var response = found.HasValue
                ? await account.Retention.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct)
                : await account.Retention.AddEntityAsync(row, ct);
            row.ETag = response.Headers.ETag ?? default;
            return new RetentionRun(account, time, row, lease);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }
}

/// <summary>A run of retention holding the state row (<see cref="RetentionStateStore"/>).</summary>
public sealed class RetentionRun(StorageAccount account, TimeProvider time, TableEntity row, TimeSpan lease)
{
    public DateTimeOffset? Cutoff(string kind) => row.GetDateTimeOffset(kind + "Cutoff");
    public string? After(string kind) => row.GetString(kind + "After");
    public bool Done(string kind) => row.GetBoolean(kind + "Done") ?? false;

    /// <summary>Saves where <paramref name="kind"/>'s pass stands and renews the lease; false when another instance took
    /// the run meanwhile (this one must stop).</summary>
    public async Task<bool> SaveAsync(string kind, DateTimeOffset? cutoff, string? after, bool done, CancellationToken ct)
    {
        row[kind + "Cutoff"] = cutoff;
        row[kind + "After"] = after;
        row[kind + "Done"] = done;
        row["HeldUntil"] = time.GetUtcNow() + lease;
        return await WriteAsync(ct);
    }

    /// <summary>Gives the run up: the lease ends now, so any instance may take the next one.</summary>
    public async Task EndAsync(CancellationToken ct)
    {
        row["HeldUntil"] = time.GetUtcNow();
        await WriteAsync(ct);
    }

    private async Task<bool> WriteAsync(CancellationToken ct)
    {
        try
        {
            var response = await account.Retention.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
            row.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }
}

/// <summary>The kinds of rows retention deletes, as named in its state row.</summary>
public static class RetentionKinds
{
    public const string Tasks = "Tasks";
    public const string Deliveries = "Deliveries";
    public const string LegacyDeliveries = "LegacyDeliveries";
    public const string Nodes = "Nodes";
    public const string Responses = "Responses";
    public const string Rollups = "Rollups";
    public const string ConfigChecks = "ConfigChecks";
}
