using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>The questions the server asks of the tasks, each one index partition whose size is bounded by what is
/// active now (or by a time window), never by history.</summary>
public static class TaskQueries
{
    /// <summary>Tasks not ended of a pull or merge request (waiting, queued, assigned, running): supersede and approval.</summary>
    public static Task<IReadOnlyList<ReviewTask>> ActiveOfChangeAsync(this ITaskStore store, string host, string repository, int number, CancellationToken ct) =>
        store.ReadPartitionAsync(TaskIndexKeys.ActiveOfChange(host, repository, number), null, ct);

    /// <summary>Tasks assigned to or running on a node.</summary>
    public static Task<IReadOnlyList<ReviewTask>> ActiveOfNodeAsync(this ITaskStore store, string nodeId, CancellationToken ct) =>
        store.ReadPartitionAsync(TaskIndexKeys.ActiveOfNode(nodeId), null, ct);

    /// <summary>Runs of a job not ended.</summary>
    public static Task<IReadOnlyList<ReviewTask>> ActiveOfJobAsync(this ITaskStore store, string jobName, CancellationToken ct) =>
        store.ReadPartitionAsync(TaskIndexKeys.ActiveOfJob(jobName), null, ct);

    /// <summary>Every task in the states given, which must not be ended ones (their partitions grow with history).</summary>
    public static async Task<IReadOnlyList<ReviewTask>> InStatesAsync(this ITaskStore store, IReadOnlyList<TaskState> states, CancellationToken ct)
    {
        foreach (var s in states)
            if (s.IsTerminal()) throw new ArgumentException($"{s} is an ended state: list it a page at a time (PageAsync).", nameof(states));
        var lists = await Task.WhenAll(states.Distinct().Select(s => store.ReadPartitionAsync(TaskIndexKeys.State(s), null, ct)));
        return [.. lists.SelectMany(l => l)];
    }

    /// <summary>Tasks whose report is still to be published.</summary>
    public static Task<IReadOnlyList<ReviewTask>> ReportPendingAsync(this ITaskStore store, CancellationToken ct) =>
        store.ReadPartitionAsync(TaskIndexKeys.ReportPending, null, ct);

    /// <summary>Job runs that failed, errored or timed out at or after <paramref name="since"/>, newest first.</summary>
    public static Task<IReadOnlyList<ReviewTask>> EndedJobRunsSinceAsync(this ITaskStore store, DateTimeOffset since, CancellationToken ct) =>
        store.ReadPartitionAsync(TaskIndexKeys.EndedJobRuns, TaskIndexKeys.RowKeyBound(since), ct);

    /// <summary>Tasks of one commit of a repository on a host, newest first.</summary>
    public static Task<IReadOnlyList<ReviewTask>> OfCommitAsync(this ITaskStore store, string host, string repository, string sha, CancellationToken ct) =>
        store.ReadPartitionAsync(TaskIndexKeys.Commit(host, repository, sha), null, ct);
}
