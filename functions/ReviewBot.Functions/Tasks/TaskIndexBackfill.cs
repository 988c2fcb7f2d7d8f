using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// Upgrades the task rows of older versions (RowKey "", no index rows, or index rows in one table), once, in the
/// background: serving does not wait for it (until it ends, the lists lack the older tasks not yet reached, and reads
/// look for a legacy row where none is at the id). It reads the tasks table in PartitionKey order, <see cref="PageSize"/>
/// rows at a time; for each legacy row it upserts the task's index rows, copies the row to its id (insert-if-absent: a
/// write may have moved it already) and deletes the legacy row. Every step is idempotent, so a page done twice does no
/// harm. The last task id done goes to the marker row <c>($backfill, progress-2)</c> of the index table after every page;
/// a restart resumes after it. <c>($backfill, done-2)</c> marks the end: later starts read that one row and tell the store
/// that no legacy row is left. Run it once every instance runs this version (an older one writes legacy rows).
/// </summary>
public sealed partial class TaskIndexBackfill(StorageAccount account, TaskStore store, ILogger<TaskIndexBackfill> log) : BackgroundService
{
    public const int PageSize = 100;
    public const string MarkerPartition = "$backfill";
    private const string Done = "done-2", Progress = "progress-2";

    /// <summary>Raised after each page is indexed and its progress stored, with the number of pages done in this run.</summary>
    public event Action<int>? PageIndexed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            if (await RunAsync(stoppingToken) is var (pages, tasks) && pages > 0) LogDone(log, tasks);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(log, e);
        }
    }

    /// <summary>Upgrades what is left; the pages and legacy tasks it did (0, 0 when it had already finished).</summary>
    public async Task<(int Pages, int Tasks)> RunAsync(CancellationToken ct)
    {
        if ((await account.TaskIndex.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, Done, cancellationToken: ct)).HasValue)
        {
            store.NoteLegacyRowsGone();
            return (0, 0);
        }
        var index = new TaskIndex(account.TaskIndex, account.TaskActive);
        var progress = await account.TaskIndex.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, Progress, cancellationToken: ct);
        var last = progress.HasValue ? progress.Value!.GetString("LastId") : null;
        var (pages, tasks) = (0, 0);
        while (true)
        {
            var filter = last is null ? null : TableClient.CreateQueryFilter($"PartitionKey gt {last}");
            var rows = new List<TableEntity>(PageSize);
            await foreach (var row in account.Tasks.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, cancellationToken: ct))
            {
                rows.Add(row);
                if (rows.Count == PageSize) break;
            }
            if (rows.Count == 0)
            {
                await account.TaskIndex.UpsertEntityAsync(new TableEntity(MarkerPartition, Done) { ["Tasks"] = tasks }, cancellationToken: ct);
                store.NoteLegacyRowsGone();
                return (pages, tasks);
            }
            var legacy = rows.Where(r => r.RowKey == TaskStore.LegacyRowKey).ToList();
            await index.AddAsync(legacy.SelectMany(r => TaskIndexKeys.For(TaskStore.FromEntity(r))), ct);
            await Parallel.ForEachAsync(legacy, TaskIndex.Options(ct), async (row, token) => await MoveAsync(row, token));
            last = rows[^1].PartitionKey;
            await account.TaskIndex.UpsertEntityAsync(new TableEntity(MarkerPartition, Progress) { ["LastId"] = last }, cancellationToken: ct);
            tasks += legacy.Count;
            pages++;
            PageIndexed?.Invoke(pages);
        }
    }

    private async Task MoveAsync(TableEntity legacy, CancellationToken ct)
    {
        var moved = new TableEntity(legacy) { RowKey = legacy.PartitionKey };
        moved.Remove("odata.etag");
        moved.Remove("Timestamp");
        try { await account.Tasks.AddEntityAsync(moved, ct); }
        catch (RequestFailedException e) when (e.Status == 409) { } // a write moved it first, with its change
        await store.DeleteLegacyAsync(legacy.PartitionKey, legacy.ETag.ToString(), ct);
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Task index back-fill done: {Tasks} task(s) of an older version indexed and moved to their own row")]
    private static partial void LogDone(ILogger logger, int tasks);

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "Task index back-fill failed; the next start resumes it")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
