using System.Collections.Concurrent;
using System.Threading.Channels;
using ReviewBot.Core.Labels;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// What this instance's placement loop (<see cref="TaskDispatcher"/>) works on, in memory: the queued tasks it may
/// place, and the assignments waiting for the agent's answer. <see cref="TaskLifecycle"/> keeps it in step with the
/// table (a task is here exactly while this instance saw it Queued); the table stays the truth, and a task that is
/// here but no longer Queued there is refused by the next transition and dropped. Thread-safe: the loop reads it
/// while hub threads and other services change it.
/// </summary>
public sealed class TaskQueue
{
    private readonly ConcurrentDictionary<string, QueuedTask> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AwaitedAnswer> _awaiting = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Number of tasks waiting for a node on this instance.</summary>
    public int Count => _pending.Count;

    /// <summary>Hands a queued task to the loop (another state is ignored). Safe to call twice for the same task: the
    /// second call only refreshes the value, the time it has waited and the nodes it avoids stay.</summary>
    public void Enqueue(ReviewTask task)
    {
        if (task.State != TaskState.Queued) return;
        _pending.AddOrUpdate(task.Id, _ => QueuedTask.Of(task), (_, p) => { p.Task = task; return p; });
        Wake();
    }

    /// <summary>Forgets a task that is no longer queued (placed, ended, cancelled).</summary>
    public void Forget(string taskId) => _pending.TryRemove(taskId, out _);

    public bool TryGet(string taskId, out QueuedTask queued) => _pending.TryGetValue(taskId, out queued!);

    /// <summary>The queued tasks, longest waiting first.</summary>
    public IReadOnlyList<QueuedTask> InOrder() => [.. _pending.Values.OrderBy(p => p.QueuedAt)];

    /// <summary>The node is not offered this task again before <paramref name="until"/> (it refused it, did not answer).</summary>
    public void Exclude(string taskId, string nodeId, DateTimeOffset until)
    {
        if (_pending.TryGetValue(taskId, out var p)) p.Excluded[nodeId] = until;
    }

    /// <summary>The node just finished a task (its result arrived, accepted or not): it has room again, so the tasks it
    /// refused as full may be offered to it now rather than after <see cref="RoutingOptions.RetryNodeAfter"/>.</summary>
    public void NodeFreed(string nodeId)
    {
        foreach (var p in _pending.Values) p.Excluded.TryRemove(nodeId, out _);
        Wake();
    }

    /// <summary>Asks the loop for a pass now (new work, freed capacity).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Completes when <see cref="Wake"/> was called since the last <see cref="TakeWake"/>.</summary>
    internal Task<bool> WokenAsync(CancellationToken ct) => _wake.Reader.WaitToReadAsync(ct).AsTask();

    internal void TakeWake() => _wake.Reader.TryRead(out _);

    /// <summary>An assignment was pushed under <paramref name="lease"/>: the agent has until <paramref name="deadline"/> to answer.</summary>
    public void AwaitAnswer(string lease, string taskId, string nodeId, DateTimeOffset deadline) =>
        _awaiting[lease] = new AwaitedAnswer(lease, taskId, nodeId, deadline);

    /// <summary>The agent answered (accepted or refused): no deadline runs for it any more. Only the node the task was
    /// assigned to can stop the clock.</summary>
    public void Answered(string lease, string nodeId)
    {
        if (_awaiting.TryGetValue(lease, out var a) && a.NodeId == nodeId) _awaiting.TryRemove(KeyValuePair.Create(lease, a));
    }

    /// <summary>Stops waiting for an answer that will not come (the send failed).</summary>
    public void StopAwaiting(string lease) => _awaiting.TryRemove(lease, out _);

    public bool IsAwaiting(string lease) => _awaiting.ContainsKey(lease);

    /// <summary>Takes the assignments whose deadline has passed; each is returned once.</summary>
    public IReadOnlyList<AwaitedAnswer> TakeExpired(DateTimeOffset now)
    {
        var expired = new List<AwaitedAnswer>();
        foreach (var (lease, a) in _awaiting)
            if (a.Deadline <= now && _awaiting.TryRemove(lease, out _)) expired.Add(a);
        return expired;
    }
}

/// <summary>A queued task as the loop sees it: its parsed label filter, how long it has waited, the nodes it avoids
/// for now and the wait reason last recorded.</summary>
public sealed class QueuedTask
{
    private QueuedTask(ReviewTask task, LabelFilter? filter, string? filterError, DateTimeOffset queuedAt)
    {
        Task = task;
        Filter = filter;
        FilterError = filterError;
        QueuedAt = queuedAt;
    }

    public ReviewTask Task { get; set; }

    /// <summary>Null when the stored filter does not parse (<see cref="FilterError"/> says why).</summary>
    public LabelFilter? Filter { get; }
    public string? FilterError { get; }
    public DateTimeOffset QueuedAt { get; }

    /// <summary>Nodes not offered this task before the time given (written from hub threads too).</summary>
    public ConcurrentDictionary<string, DateTimeOffset> Excluded { get; } = new(StringComparer.Ordinal);

    /// <summary>The wait reason last recorded on the task by this instance.</summary>
    public string? Reason { get; set; }

    internal static QueuedTask Of(ReviewTask task)
    {
        // Filters are validated when the configuration loads; one that does not parse here fails its task, loudly.
        try { return new QueuedTask(task, LabelFilter.Parse(task.NodeLabels), null, task.QueuedAt ?? task.CreatedAt); }
        catch (LabelFilterSyntaxException e) { return new QueuedTask(task, null, $"label filter '{task.NodeLabels}' is invalid: {e.Message}", task.CreatedAt); }
    }
}

/// <summary>An assignment pushed to a node, waiting for its answer until <see cref="Deadline"/>.</summary>
public sealed record AwaitedAnswer(string Lease, string TaskId, string NodeId, DateTimeOffset Deadline);
