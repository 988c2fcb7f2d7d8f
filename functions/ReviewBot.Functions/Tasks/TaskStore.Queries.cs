using Azure.Data.Tables;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

// Reads through the index: one partition each, the tasks of the entries point-read, stale entries skipped and repaired.
public sealed partial class TaskStore
{
    public async Task<TaskPage> PageAsync(TaskListQuery query, string? cursor, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var partition = query.Partition;
        string? last = null;
        if (cursor is not null && !TaskCursor.TryRead(cursor, partition, out last))
            throw new ArgumentException("The cursor does not continue this list.", nameof(cursor));
        var page = new List<ReviewTask>(limit);
        var read = 0;
        while (true)
        {
            // One entry more than the page needs tells whether another page follows, without reading its task.
            var need = limit - page.Count;
            var rows = await _index.RowsAsync(partition, last, null, need + 1, ct);
            var resolved = await ResolveAsync(rows.Take(need).ToList(), ct);
            foreach (var (row, task) in resolved)
            {
                last = row.RowKey;
                if (task is not null && query.Matches(task)) page.Add(task);
            }
            read += resolved.Count;
            if (rows.Count <= need) return new TaskPage(page, null);
            if (page.Count == limit || read >= TaskListQuery.ScanBudget) return new TaskPage(page, TaskCursor.Of(partition, last!));
        }
    }

    public async Task<IReadOnlyList<ReviewTask>> ReadPartitionAsync(string partition, string? before, CancellationToken ct)
    {
        var rows = await _index.RowsAsync(partition, null, before, int.MaxValue, ct);
        return [.. (await ResolveAsync(rows, ct)).Where(r => r.Task is not null).Select(r => r.Task!)];
    }

    /// <summary>The task of each entry, in order; null for an entry its task does not yield (any more), which is removed
    /// when that is certain: the entry is older than the task's version, or its task has been missing for <see cref="OrphanAge"/>.</summary>
    private async Task<IReadOnlyList<(TableEntity Row, ReviewTask? Task)>> ResolveAsync(IReadOnlyList<TableEntity> rows, CancellationToken ct)
    {
        var resolved = new (TableEntity Row, ReviewTask? Task)[rows.Count];
        var stale = new List<TableEntity>();
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), TaskIndex.Options(ct), async (i, token) =>
        {
            var row = rows[i];
            var (task, writtenAt) = await ReadAsync(TaskIndexKeys.TaskIdOf(row.RowKey), token);
            var current = task is not null && TaskIndexKeys.For(task).Contains(new TaskIndexKey(row.PartitionKey, row.RowKey));
            resolved[i] = (row, current ? task : null);
            if (current) return;
            var removable = task is null ? row.Timestamp < _time.GetUtcNow() - OrphanAge : row.Timestamp < writtenAt;
            if (removable) lock (stale) stale.Add(row);
        });
        if (stale.Count > 0) await Parallel.ForEachAsync(stale, TaskIndex.Options(ct), async (row, token) => await _index.RemoveAsync(row, token));
        return resolved;
    }
}
