using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// Indexes the task rows written before the index existed (an upgrade), once, in the background: serving does not wait
/// for it (until it ends, the lists lack the older tasks not yet reached). It reads the tasks table in PartitionKey
/// order, <see cref="PageSize"/> rows at a time, upserts each task's index rows (idempotent, so a page done twice does
/// no harm) and records the last task id done in the marker row <c>($backfill, progress)</c> of the index table after
/// every page; a restart resumes after it. <c>($backfill, done)</c> marks the end: later starts read that one row.
/// Run it once every instance writes the index (an instance of an older version writes tasks without index rows).
/// </summary>
public sealed partial class TaskIndexBackfill(StorageAccount account, ILogger<TaskIndexBackfill> log) : BackgroundService
{
    public const int PageSize = 100;
    public const string MarkerPartition = "$backfill";

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

    /// <summary>Indexes what is left; the pages and tasks it did (0, 0 when it had already finished).</summary>
    public async Task<(int Pages, int Tasks)> RunAsync(CancellationToken ct)
    {
        var index = new TaskIndex(account.TaskIndex);
        if ((await account.TaskIndex.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, "done", cancellationToken: ct)).HasValue) return (0, 0);
        var progress = await account.TaskIndex.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, "progress", cancellationToken: ct);
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
                await account.TaskIndex.UpsertEntityAsync(new TableEntity(MarkerPartition, "done") { ["Tasks"] = tasks }, cancellationToken: ct);
                return (pages, tasks);
            }
            await index.AddAsync(rows.SelectMany(r => TaskIndexKeys.For(TaskStore.FromEntity(r))), ct);
            last = rows[^1].PartitionKey;
            await account.TaskIndex.UpsertEntityAsync(new TableEntity(MarkerPartition, "progress") { ["LastId"] = last }, cancellationToken: ct);
            tasks += rows.Count;
            pages++;
            PageIndexed?.Invoke(pages);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Task index back-fill done: {Tasks} task(s) indexed")]
    private static partial void LogDone(ILogger logger, int tasks);

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "Task index back-fill failed; the next start resumes it")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
