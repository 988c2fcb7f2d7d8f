using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks.Fakes;

/// <summary>The task table in memory, with the table's rules: conditional writes on the version read (a stale one
/// decides again on the fresh value), inserts that fail on an existing id, lists read from the partitions <see cref="TaskIndexKeys.For"/> yields, as
/// <see cref="TaskStore"/> reads them (newest first, the same cursors and page rules).</summary>
internal sealed class MemoryTaskStore : ITaskStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReviewTask> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskResultDocument> _results = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>Writes made (inserts and updates), to tell that a refused transition wrote nothing.</summary>
    public int Writes { get; private set; }

    public ReviewTask? this[string id]
    {
        get { lock (_gate) return _rows.GetValueOrDefault(id); }
    }

    public TaskResultDocument? ResultOf(string id)
    {
        lock (_gate) return _results.GetValueOrDefault(id);
    }

    /// <summary>Stores <paramref name="task"/> as it is (a row written by someone else), with a new version.</summary>
    public ReviewTask Put(ReviewTask task)
    {
        lock (_gate) return _rows[task.Id] = task with { Version = $"v{++_version}" };
    }

    public Task<ReviewTask?> TryCreateAsync(ReviewTask task, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_rows.ContainsKey(task.Id)) return Task.FromResult<ReviewTask?>(null);
            Writes++;
            return Task.FromResult<ReviewTask?>(Put(task));
        }
    }

    public Task<ReviewTask?> GetAsync(string id, CancellationToken ct) => Task.FromResult(this[id]);

    public Task<ReviewTask?> UpdateAsync(string id, Func<ReviewTask, ReviewTask?> change, CancellationToken ct, ReviewTask? known = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = attempt == 0 && known is { Version: not null } && known.Id == id ? known : this[id];
            if (current is null) return Task.FromResult<ReviewTask?>(null);
            if (change(current) is not { } next) return Task.FromResult<ReviewTask?>(null);
            lock (_gate)
            {
                if (_rows.GetValueOrDefault(id)?.Version != current.Version) continue; // changed meanwhile: decide again
                Writes++;
                return Task.FromResult<ReviewTask?>(Put(next));
            }
        }
    }

    public Task<TaskPage> PageAsync(TaskListQuery query, string? cursor, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        string? after = null;
        if (cursor is not null && !TaskCursor.TryRead(cursor, query.Partition, out after))
            throw new ArgumentException("The cursor does not continue this list.", nameof(cursor));
        var entries = Entries(query.Partition).Where(e => after is null || string.CompareOrdinal(e.RowKey, after) > 0).ToList();
        var page = new List<ReviewTask>();
        var read = 0;
        foreach (var (rowKey, task) in entries)
        {
            if (page.Count == limit || (read >= TaskListQuery.ScanBudget && read > 0)) return Task.FromResult(new TaskPage(page, TaskCursor.Of(query.Partition, entries[read - 1].RowKey)));
            read++;
            if (query.Matches(task)) page.Add(task);
        }
        return Task.FromResult(new TaskPage(page, null));
    }

    public Task<IReadOnlyList<ReviewTask>> ReadPartitionAsync(string partition, string? before, CancellationToken ct)
    {
        IReadOnlyList<ReviewTask> list = [.. Entries(partition).Where(e => before is null || string.CompareOrdinal(e.RowKey, before) < 0).Select(e => e.Task)];
        return Task.FromResult(list);
    }

    /// <summary>The entries of an index partition in row-key order, as <see cref="TaskIndexKeys.For"/> yields them.</summary>
    private List<(string RowKey, ReviewTask Task)> Entries(string partition)
    {
        lock (_gate)
            return [.. _rows.Values.SelectMany(t => TaskIndexKeys.For(t).Where(k => k.PartitionKey == partition).Select(k => (k.RowKey, t)))
                .OrderBy(e => e.RowKey, StringComparer.Ordinal)];
    }

    public Task SaveResultAsync(string id, TaskResultDocument result, CancellationToken ct)
    {
        lock (_gate) _results[id] = result;
        return Task.CompletedTask;
    }
}
