using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>What the task lifecycle and the dispatcher need of the task table (<see cref="TaskStore"/>; tests use an
/// in-memory one). Writes are conditional on the version read, so two writers never both win.</summary>
public interface ITaskStore
{
    /// <summary>Inserts the task and returns it with its version; null when a task with this id exists.</summary>
    Task<ReviewTask?> TryCreateAsync(ReviewTask task, CancellationToken ct);

    Task<ReviewTask?> GetAsync(string id, CancellationToken ct);

    /// <summary>Read-modify-write: <paramref name="change"/> gets the current task and returns the new one, or null to
    /// leave it; called again on the fresh value after a concurrent change. The task as written, or null.</summary>
    /// <param name="known">The task as last seen (with its version), to save the first read.</param>
    Task<ReviewTask?> UpdateAsync(string id, Func<ReviewTask, ReviewTask?> change, CancellationToken ct, ReviewTask? known = null);

    /// <summary>A page of a list, newest first, from one index partition (<see cref="TaskListQuery"/>), and the cursor of
    /// the next. <paramref name="cursor"/> must come from the same list (<see cref="TaskCursor.TryRead"/>).</summary>
    Task<TaskPage> PageAsync(TaskListQuery query, string? cursor, int limit, CancellationToken ct);

    /// <summary>Every task that yields an entry in <paramref name="partition"/> (a key of <see cref="TaskIndexKeys"/>), in
    /// row-key order, before <paramref name="before"/> when given. For the small partitions only: <see cref="TaskQueries"/>.</summary>
    Task<IReadOnlyList<ReviewTask>> ReadPartitionAsync(string partition, string? before, CancellationToken ct);

    Task SaveResultAsync(string id, TaskResultDocument result, CancellationToken ct);
}
