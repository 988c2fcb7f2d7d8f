using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Jobs.Scheduling;

/// <summary>What the scheduler remembers about one job: for cron, the instant up to which ticks are evaluated
/// (<see cref="Cursor"/>) and the schedule that cursor belongs to (<see cref="Signature"/>); for poll, the last
/// head seen (<see cref="Sha"/>).</summary>
public sealed record ScheduleState(string Kind, string Job, DateTimeOffset? Cursor, string? Signature, string? Sha, ETag ETag);

/// <summary>
/// The table <c>&lt;prefix&gt;schedule</c>: PartitionKey = "cron" or "poll", RowKey = the job name (escaped).
/// Every change is conditional (insert, or replace with the read ETag), so of two overlapping leaders one write
/// wins and the other learns it lost; nothing moves a cursor back. Read by point reads only; one row per scheduled job.
/// </summary>
public sealed class ScheduleStore(StorageAccount account, TimeProvider time)
{
    public const string Cron = "cron";
    public const string Poll = "poll";

    public async Task<ScheduleState?> GetAsync(string kind, string job, CancellationToken ct)
    {
        var row = await account.Schedule.GetEntityIfExistsAsync<TableEntity>(kind, TableKeys.Escape(job), cancellationToken: ct);
        if (!row.HasValue || row.Value is not { } e) return null;
        return new ScheduleState(kind, job, e.GetDateTimeOffset("Cursor"), e.GetString("Signature"), e.GetString("Sha"), e.ETag);
    }

    /// <summary>Creates the row; false when it exists already (another instance was first).</summary>
    public async Task<bool> TryAddAsync(ScheduleState state, CancellationToken ct)
    {
        try
        {
            await account.Schedule.AddEntityAsync(ToEntity(state), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409) { return false; }
    }

    /// <summary>Replaces the row if it still has <see cref="ScheduleState.ETag"/>; false when someone changed it meanwhile.</summary>
    public async Task<bool> TryUpdateAsync(ScheduleState state, CancellationToken ct)
    {
        try
        {
            await account.Schedule.UpdateEntityAsync(ToEntity(state), state.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { return false; }
    }

    private TableEntity ToEntity(ScheduleState s) => new(s.Kind, TableKeys.Escape(s.Job))
    {
        ["Cursor"] = s.Cursor,
        ["Signature"] = s.Signature,
        ["Sha"] = s.Sha,
        ["UpdatedAt"] = time.GetUtcNow(),
    };
}
