using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

// Agents that lose tasks: missed heartbeats, restarts, reconnects to another instance, revocation.
public sealed partial class TaskLifecycle
{
    /// <summary>Raised with the task id when a (re)registering agent is told to stop a task it no longer holds.</summary>
    public event Action<string>? StaleTaskCancelled;

    /// <summary>The node lost these tasks (task id → lease): each goes back to the queue as a new attempt, or errors
    /// after the last one. A task whose row cannot take the change errors instead, so the others are still requeued.</summary>
    public async Task RequeueLostAsync(string nodeId, IEnumerable<KeyValuePair<string, string>> tasks, string reason, CancellationToken ct)
    {
        foreach (var (taskId, lease) in tasks)
        {
            pool.Release(nodeId, taskId, lease);
            var now = time.GetUtcNow();
            try
            {
                await TransitionAsync(taskId, t => TaskTransitions.Requeue(t, lease, reason, now), ct);
            }
            catch (TaskRowTooLargeException e)
            {
                // Stored near the limit by an older version: the task could not run anyway.
                await FailAsync(taskId, e.Message, ct);
            }
            LogRequeued(log, taskId, reason);
        }
    }

    /// <summary>Reconciles what a (re)registering agent runs with what this instance believes it holds: the tasks the
    /// registry held for it that it no longer reports (<paramref name="lost"/>) are requeued; those it reports but does
    /// not keep here are held again if the table still gives them to it under that lease (this app restarted), and
    /// returned otherwise: the task ids the agent must cancel.</summary>
    public async Task<IReadOnlyList<string>> ReconcileAsync(AgentRegistration r, IReadOnlyList<string> kept, IReadOnlyList<string> lost, CancellationToken ct)
    {
        if (lost.Count > 0 && pool.Held(r.NodeId) is { } held)
            await RequeueLostAsync(r.NodeId, [.. held.Where(t => lost.Contains(t.Key))], $"{r.Name} restarted without task", ct);
        var cancel = new List<string>();
        foreach (var running in r.RunningTasks)
        {
            if (kept.Contains(running.TaskId)) continue;
            if (await store.GetAsync(running.TaskId, ct) is { } task && task.IsHeldBy(r.NodeId, running.LeaseToken))
                pool.Hold(r.NodeId, task.Id, running.LeaseToken);
            else
            {
                cancel.Add(running.TaskId);
                StaleTaskCancelled?.Invoke(running.TaskId);
            }
        }
        return cancel;
    }

    /// <summary>With several instances: a node (re)registered here, and the table gives it tasks under leases no
    /// instance may hold any more (it was connected to an instance that died) that it did not report as running and
    /// this instance does not hold: they are lost and go back to the queue.</summary>
    public async Task ReconcileStoredAsync(AgentRegistration r, CancellationToken ct)
    {
        if (pool.Held(r.NodeId) is null) return;
        var stored = await store.ActiveOfNodeAsync(r.NodeId, ct);
        var held = pool.Held(r.NodeId) ?? [];
        var lost = stored.Where(t => t.LeaseToken is { } lease
                                     && !r.RunningTasks.Any(x => x.TaskId == t.Id && x.LeaseToken == lease)
                                     && held.All(h => h.Key != t.Id))
                         .Select(t => new KeyValuePair<string, string>(t.Id, t.LeaseToken!)).ToList();
        if (lost.Count > 0) await RequeueLostAsync(r.NodeId, lost, $"{r.Name} came back without the task", ct);
    }

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Task {TaskId} taken back: {Reason}")]
    private static partial void LogRequeued(ILogger logger, string taskId, string reason);
}
