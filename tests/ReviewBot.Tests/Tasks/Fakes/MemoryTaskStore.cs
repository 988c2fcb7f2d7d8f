using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks.Fakes;

/// <summary>The task table in memory, with the table's rules: conditional writes on the version read (a stale one
/// decides again on the fresh value), inserts that fail on an existing id, queries as <see cref="TaskStore.ListAsync"/>.</summary>
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

    public Task<IReadOnlyList<ReviewTask>> ListAsync(TaskQuery q, CancellationToken ct)
    {
        lock (_gate)
        {
            IReadOnlyList<ReviewTask> list = [.. _rows.Values
                .Where(t => (q.State is null || t.State == q.State)
                            && (q.States is not { Count: > 0 } states || states.Contains(t.State))
                            && (q.Repository is null || string.Equals(t.Repository, q.Repository, StringComparison.OrdinalIgnoreCase))
                            && (q.NodeId is null || t.NodeId == q.NodeId)
                            && (q.JobName is null || t.JobName == q.JobName)
                            && (q.ReportPending is null || !t.Reporting.Done == q.ReportPending))
                .OrderByDescending(t => t.CreatedAt).Take(q.Top)];
            return Task.FromResult(list);
        }
    }

    public Task SaveResultAsync(string id, TaskResultDocument result, CancellationToken ct)
    {
        lock (_gate) _results[id] = result;
        return Task.CompletedTask;
    }
}
