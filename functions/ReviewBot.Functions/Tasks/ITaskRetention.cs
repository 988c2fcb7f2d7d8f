using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>What retention (Retention/RetentionService) needs of the task table: old tasks page by page, oldest pass first,
/// and deleting one task with what it owns in the task store.</summary>
public interface ITaskRetention
{
    /// <summary>
    /// Tasks created before <paramref name="cutoff"/>, whatever their state, at most <paramref name="limit"/>, in the order of
    /// the "all tasks, newest first" index (row keys <c>{inverted ticks of CreatedAt:D19}|{id}</c>) starting after the key
    /// <paramref name="after"/> (null: at the first task older than the cutoff). <see cref="TaskPage.Next"/> is the key to
    /// continue after, null at the end. Entries the index holds for tasks that are gone or changed are skipped (and repaired). Tasks are never created in the past, so a pass over a fixed cutoff ends.
    /// </summary>
    Task<TaskPage> ListCreatedBeforeAsync(DateTimeOffset cutoff, string? after, int limit, CancellationToken ct);

    /// <summary>Deletes the task's row (checked against <see cref="ReviewTask.Version"/>) and its index rows; false when the
    /// task changed since it was read (it is decided again on the next pass) or is gone.</summary>
    Task<bool> DeleteAsync(ReviewTask task, CancellationToken ct);

    /// <summary>Deletes the results blob <c>results/{id}.json</c>, if there is one.</summary>
    Task DeleteResultAsync(string id, CancellationToken ct);
}
