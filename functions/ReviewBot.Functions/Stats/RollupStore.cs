using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Stats;

/// <summary>
/// Per-hour rollups of ended tasks (<see cref="HourRollup"/>), kept a year (Retention deletes older days).
/// Key scheme: table <c>{prefix}rollups</c>, PartitionKey = the UTC day <c>yyyyMMdd</c>, RowKey = the UTC hour
/// <c>HH</c>; one row per hour that saw anything, column <c>Data</c> = the rollup as JSON (bounded: see
/// <see cref="HourRollup"/>). So "the hours from A to B" is one range read of PartitionKey between A's and B's day (at
/// most 24 rows a day, whatever the history), and "everything before day D" is the range PartitionKey &lt; D, which
/// holds only rows to delete. Every write is a read-modify-write checked against the row's ETag (an insert for a new
/// hour), retried on 412/409, so concurrent instances recording endings of the same hour never lose a count.
/// </summary>
public sealed class RollupStore(StorageAccount account, TimeProvider time)
{
    /// <summary>A run is split over at most this many hours, counted back from its end (a run cannot last longer than
    /// its timeout; this only bounds the writes of a nonsense timestamp).</summary>
    public const int MaxHoursPerRun = 48;

    private const int MaxAttempts = 100;

    /// <summary>Raised when a write lost a race (412/409) and is tried again (tests: contention really happened).</summary>
    public event Action? Conflicted;

    public static DateTimeOffset HourOf(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, at.UtcDateTime.Day, at.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
    public static string PartitionOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    public static string RowOf(DateTimeOffset at) => at.UtcDateTime.ToString("HH", CultureInfo.InvariantCulture);

    /// <summary>Counts an ended task in the hour it ended (now, if it carries no end time) and its run in each hour it
    /// spanned for its agent, whose capacity is <paramref name="capacity"/> slots.</summary>
    public Task RecordAsync(ReviewTask ended, int capacity, CancellationToken ct) => RecordAsync([(ended, capacity)], ct);

    /// <summary><see cref="RecordAsync(ReviewTask, int, CancellationToken)"/> for many ended tasks at once: one
    /// read-modify-write per hour they touch, whatever their number (the feed hands over what piled up since its last
    /// write, so the cost per ending falls as the rate rises).</summary>
    public async Task RecordAsync(IReadOnlyList<(ReviewTask Ended, int Capacity)> endings, CancellationToken ct)
    {
        var byHour = new SortedDictionary<DateTimeOffset, List<Action<HourRollup>>>();
        void Add(DateTimeOffset hour, Action<HourRollup> change)
        {
            if (!byHour.TryGetValue(hour, out var changes)) byHour[hour] = changes = [];
            changes.Add(change);
        }
        foreach (var (ended, capacity) in endings)
        {
            var end = ended.CompletedAt ?? time.GetUtcNow();
            var endHour = HourOf(end);
            var agent = ended.NodeName ?? ended.NodeId;
            var busy = ended.StartedAt is { } start && agent is not null && end > start ? SplitByHour(start, end) : [];
            Add(endHour, r =>
            {
                r.AddEnding(ended);
                if (busy.FirstOrDefault(b => b.Hour == endHour) is { Seconds: > 0 } last) r.AddBusy(agent!, last.Seconds, capacity);
            });
            foreach (var (hour, seconds) in busy.Where(b => b.Hour != endHour))
                Add(hour, r => r.AddBusy(agent!, seconds, capacity));
        }
        foreach (var (hour, changes) in byHour.Reverse())
            await UpdateAsync(hour, r => { foreach (var change in changes) change(r); }, ct);
    }

    /// <summary>The seconds of [start, end) falling in each hour, latest hour first, at most <see cref="MaxHoursPerRun"/>.</summary>
    public static IReadOnlyList<(DateTimeOffset Hour, double Seconds)> SplitByHour(DateTimeOffset start, DateTimeOffset end)
    {
        var parts = new List<(DateTimeOffset, double)>();
        for (var hour = HourOf(end); hour + TimeSpan.FromHours(1) > start && parts.Count < MaxHoursPerRun; hour -= TimeSpan.FromHours(1))
        {
            var from = start > hour ? start : hour;
            var to = end < hour + TimeSpan.FromHours(1) ? end : hour + TimeSpan.FromHours(1);
            if (to > from) parts.Add((hour, (to - from).TotalSeconds));
        }

        return parts;
    }

    /// <summary>Applies <paramref name="change"/> to the hour's rollup, conditionally on the version read; a lost race
    /// reads again and reapplies.</summary>
    public async Task UpdateAsync(DateTimeOffset hour, Action<HourRollup> change, CancellationToken ct)
    {
        var pk = PartitionOf(hour);
        var rk = RowOf(hour);
        for (var attempt = 1; ; attempt++)
        {
            var found = await account.Rollups.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct);
            var rollup = found.HasValue ? Parse(found.Value!) : new HourRollup();
            change(rollup);
            var row = new TableEntity(pk, rk) { ["Data"] = JsonSerializer.Serialize(rollup, StorageJson.Options) };
            try
            {
                if (found.HasValue) await account.Rollups.UpdateEntityAsync(row, found.Value!.ETag, TableUpdateMode.Replace, ct);
                else await account.Rollups.AddEntityAsync(row, ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                Conflicted?.Invoke();
                // Spread the retries of racing writers a little (wall-clock jitter, not the app's clock), so they do not
                // collide again in lock-step.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * Math.Min(attempt, 10))), ct);
            }
        }
    }

    /// <summary>The rollups of the hours in [from, to), oldest first; hours without a row are left out.</summary>
    public async Task<IReadOnlyList<(DateTimeOffset Hour, HourRollup Rollup)>> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {PartitionOf(from)} and PartitionKey le {PartitionOf(to - TimeSpan.FromTicks(1))}");
        var rows = new List<(DateTimeOffset, HourRollup)>();
        await foreach (var row in account.Rollups.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var hour = DateTimeOffset.ParseExact(row.PartitionKey + row.RowKey, "yyyyMMddHH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            if (hour >= from && hour < to) rows.Add((hour, Parse(row)));
        }

        return [.. rows.OrderBy(r => r.Item1)];
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> rows of days before <paramref name="cutoff"/>'s day (whole
    /// days only); the number deleted. The range read holds nothing but rows to delete, so it costs what it deletes.</summary>
    public async Task<int> DeleteDaysBeforeAsync(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {PartitionOf(cutoff)}");
        var deleted = 0;
        await foreach (var page in account.Rollups.QueryAsync<TableEntity>(filter, batchSize, ["PartitionKey", "RowKey"], ct).AsPages())
        {
            foreach (var row in page.Values)
            {
                try
                {
                    await account.Rollups.DeleteEntityAsync(row, row.ETag, ct);
                    deleted++;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    // Gone already, or a late write just touched it: the next run sees it again.
                }
            }

            break;
        }

        return deleted;
    }

    private static HourRollup Parse(TableEntity row) =>
        row.GetString("Data") is { Length: > 0 } json ? JsonSerializer.Deserialize<HourRollup>(json, StorageJson.Options) ?? new() : new();
}
