using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

// The transitions of placement (TaskDispatcher decides where; these write it): Queued → Assigned → Running, back to
// the queue, or out of it.
public sealed partial class TaskLifecycle
{
    /// <summary>Queued → Assigned to the node under <paramref name="lease"/> (the caller reserved its slot). Null when
    /// the task is no longer queued (cancelled, or placed by another instance).</summary>
    public Task<ReviewTask?> AssignAsync(ReviewTask known, string nodeId, string nodeName, string lease, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return TransitionAsync(known.Id, t => TaskTransitions.Assign(t, nodeId, nodeName, lease, reason, now), ct, known);
    }

    /// <summary>The agent's answer to an assignment: counts only from the node the task was assigned to, under its lease
    /// (the caller checked that the connection speaks for <see cref="TaskAcceptance.NodeId"/>). A refusal puts the task
    /// back in the queue; an acceptance of an assignment that is no longer valid frees the slot and is refused.</summary>
    public async Task<TaskAck> AcceptAsync(TaskAcceptance a, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        queue.Answered(a.LeaseToken, a.NodeId);
        if (!a.Accepted)
        {
            var returned = await ReturnToQueueAsync(a.TaskId, a.NodeId, a.LeaseToken, $"refused by {pool.NameOf(a.NodeId)}: {a.Reason}", ct);
            return returned ? new TaskAck(true, null) : new TaskAck(false, "no such assignment");
        }
        if (await TransitionAsync(a.TaskId, t => TaskTransitions.Accept(t, a.NodeId, a.LeaseToken, now), ct) is not null) return new TaskAck(true, null);
        pool.Release(a.NodeId, a.TaskId, a.LeaseToken);
        return new TaskAck(false, "the assignment is no longer valid (it timed out, was cancelled or given to another agent)");
    }

    /// <summary>Assigned → Queued under the same lease (refusal, no answer, failed send), not counted as an attempt;
    /// the node's slot is freed and it is not offered this task again for <see cref="RoutingOptions.RetryNodeAfter"/>.
    /// False when the task was not assigned there under that lease (any more).</summary>
    public Task<bool> ReturnToQueueAsync(string taskId, string nodeId, string lease, string why, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return ReturnedAsync(taskId, nodeId, lease, t => TaskTransitions.ReturnToQueue(t, nodeId, lease, why, now), ct);
    }

    /// <summary>The node did not accept within <see cref="RoutingOptions.AcceptTimeout"/>: the task goes back to the queue
    /// (<see cref="ReturnToQueueAsync"/>). False when it was not assigned there any more (accepted a moment ago).</summary>
    public Task<bool> ExpireAcceptanceAsync(string taskId, string nodeId, string lease, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var name = pool.NameOf(nodeId);
        return ReturnedAsync(taskId, nodeId, lease, t => TaskTransitions.ExpireAcceptance(t, nodeId, name, lease, _routing.AcceptTimeout, now), ct);
    }

    private async Task<bool> ReturnedAsync(string taskId, string nodeId, string lease, Func<ReviewTask, Transition> transition, CancellationToken ct)
    {
        var queued = await TransitionAsync(taskId, transition, ct);
        if (queued is null) return false;
        pool.Release(nodeId, taskId, lease);
        queue.Exclude(taskId, nodeId, time.GetUtcNow() + _routing.RetryNodeAfter);
        LogReturned(log, taskId, queued.PlacementReason ?? "");
        return true;
    }

    /// <summary>Queued → Errored: not placed within <see cref="RoutingOptions.QueueTimeout"/>.</summary>
    public async Task ExpireInQueueAsync(string taskId, string? waitReason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await TransitionAsync(taskId, t => TaskTransitions.ExpireInQueue(t, _routing.QueueTimeout, waitReason, now), ct) is { } failed)
            LogQueueTimeout(log, taskId, failed.Error ?? "");
    }

    /// <summary>Queued → Errored: the task can never be placed (<see cref="TaskTransitions.FailInQueue"/>).</summary>
    public Task FailInQueueAsync(string taskId, string why, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return TransitionAsync(taskId, t => TaskTransitions.FailInQueue(t, why, now), ct);
    }

    /// <summary>Ends a task that cannot go on, whatever its state (<see cref="TaskTransitions.Fail"/>).</summary>
    public Task FailAsync(string taskId, string why, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return TransitionAsync(taskId, t => TaskTransitions.Fail(t, why, now), ct);
    }

    /// <summary>Records why a queued task waits (no change of state); the task as written, or null when it already said so.</summary>
    public Task<ReviewTask?> ExplainWaitAsync(ReviewTask known, string? waitReason, CancellationToken ct) =>
        store.UpdateAsync(known.Id, t => TaskTransitions.ExplainWait(t, waitReason).Task, ct, known);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Task {TaskId} back in the queue: {Reason}")]
    private static partial void LogReturned(ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Task {TaskId} failed: {Reason}")]
    private static partial void LogQueueTimeout(ILogger logger, string taskId, string reason);
}
