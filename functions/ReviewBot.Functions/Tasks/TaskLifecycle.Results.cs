using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

// An agent's result: Running (or Assigned) → how it ended.
public sealed partial class TaskLifecycle
{
    private long _refused;

    /// <summary>Results refused because their lease was no longer valid (zombie agents), since start.</summary>
    public long RefusedResults => Interlocked.Read(ref _refused);

    /// <summary>Raised with the task id when a result is refused.</summary>
    public event Action<string>? ResultRefused;

    /// <summary>Raised after a result was recorded, with the task as written and the result as capped (its findings,
    /// the agent's spans); on the writer's thread, so handlers only count or hand work off.</summary>
    public event Action<ReviewTask, TaskResult>? ResultRecorded;

    /// <summary>Records an agent's result (cut to size on arrival: <see cref="AgentResultLimits"/>) if the node holds
    /// the task under the result's lease; refuses it otherwise. Either way the node has room again.</summary>
    public async Task<TaskAck> CompleteAsync(TaskResult result, CancellationToken ct)
    {
        try { return await RecordAsync(AgentResultLimits.Cap(result), ct); }
        finally { queue.NodeFreed(result.NodeId); }
    }

    private async Task<TaskAck> RecordAsync(TaskResult r, CancellationToken ct)
    {
        var current = await store.GetAsync(r.TaskId, ct);
        if (current is null || !current.IsHeldBy(r.NodeId, r.LeaseToken)) return Refuse(r);
        // The result document is written first: a task is never terminal without its findings.
        await store.SaveResultAsync(r.TaskId, TaskTransitions.ResultOf(current, r), ct);
        var now = time.GetUtcNow();
        var done = await TransitionAsync(r.TaskId, t => TaskTransitions.Complete(t, r, now), ct, known: current);
        pool.Release(r.NodeId, r.TaskId, r.LeaseToken);
        if (done is null) return Refuse(r);
        LogCompleted(log, r.TaskId, done.State, r.Findings.Count);
        ResultRecorded?.Invoke(done, r);
        return new TaskAck(true, null);
    }

    private TaskAck Refuse(TaskResult r)
    {
        LogRefused(log, r.TaskId, r.NodeId);
        Interlocked.Increment(ref _refused);
        ResultRefused?.Invoke(r.TaskId);
        return new TaskAck(false, TaskTransitions.ResultRefused);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Result for task {TaskId} from node {NodeId} refused: lease no longer valid")]
    private static partial void LogRefused(ILogger logger, string taskId, string nodeId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Task {TaskId} {State} with {Findings} finding(s)")]
    private static partial void LogCompleted(ILogger logger, string taskId, TaskState state, int findings);
}
