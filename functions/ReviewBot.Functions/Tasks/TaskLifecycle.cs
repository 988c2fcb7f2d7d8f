using System.Diagnostics;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Hosting.Diagnostics;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// The one writer of task state. Every change of state is a pure transition (<see cref="TaskTransitions"/>) written
/// conditionally on the version it was decided on (<see cref="ITaskStore.UpdateAsync"/>: a concurrent change makes it
/// decide again on the fresh value), so two writers (two instances, a result racing a timeout) never both win; after
/// placement every transition is guarded by the assignment's lease, so an agent whose task was taken back (a zombie)
/// changes nothing. After each transition it keeps this instance's placement queue in step (<see cref="TaskQueue"/>:
/// a task is queued here exactly when it is Queued) and raises <see cref="Transitioned"/>.
/// Split by concern: placement (<c>.Placement.cs</c>), results, lost agents and reconnects (<c>.Lost.cs</c>),
/// cancellation (<c>.Cancel.cs</c>), approval.
/// </summary>
public sealed partial class TaskLifecycle(
    ITaskStore store,
    IAgentPool pool,
    IAgentChannel channel,
    TaskQueue queue,
    IOptions<RoutingOptions> routing,
    TimeProvider time,
    ILogger<TaskLifecycle> log)
{
    private readonly RoutingOptions _routing = routing.Value;

    /// <summary>Raised after each change of state this instance wrote, with the state before (null for a new task) and
    /// the task as written; on the writer's thread, so handlers only hand work off (reporting, job retries).</summary>
    public event Action<TaskState?, ReviewTask>? Transitioned;

    /// <summary>Creates the task if it does not exist yet (deterministic ids make redeliveries no-ops) and queues it,
    /// or leaves it Waiting for approval. False when it existed.</summary>
    public async Task<bool> CreateAsync(ReviewTask task, CancellationToken ct)
    {
        // The task's span is a child of the delivery's (or the API request's); its id is the task's trace context.
        using var span = ReviewBotTracing.Source.StartActivity("reviewbot.task");
        span?.SetTag("reviewbot.task.id", task.Id);
        span?.SetTag("reviewbot.repository", task.Repository);
        span?.SetTag("reviewbot.linter", task.JobName ?? task.Linter.Name);
        task = task with { TraceParent = span?.Id ?? Activity.Current?.Id };
        if (await store.TryCreateAsync(TaskTransitions.Create(task, _routing.MaxAttempts, time.GetUtcNow()), ct) is not { } created) return false;
        Written(null, created);
        return true;
    }

    /// <summary>Queues the same work again as a new task (<see cref="TaskTransitions.Rerun"/>). Null when the original
    /// may not run again (it awaits approval); <see cref="TaskRerun.Created"/> is false when an earlier call with this
    /// request id made it.</summary>
    public async Task<TaskRerun?> RerunAsync(ReviewTask original, string trigger, string requestId, CancellationToken ct) =>
        TaskTransitions.Rerun(original, trigger, requestId, time.GetUtcNow()).Task is { } rerun ? new TaskRerun(rerun, await CreateAsync(rerun, ct)) : null;

    /// <summary>Records <paramref name="note"/> in the task's history once, without changing its state.</summary>
    public Task<ReviewTask?> NoteOnceAsync(string taskId, string note, CancellationToken ct) =>
        store.UpdateAsync(taskId, t => TaskTransitions.Note(t, note, time.GetUtcNow()).Task, ct);

    /// <summary>Tells an agent to stop a task (it kills the process tree); a failed send is logged, not thrown: the
    /// agent learns at its next registration or heartbeat that it no longer holds the task.</summary>
    public async Task TellToStopAsync(string connectionId, TaskCancellation cancellation, CancellationToken ct)
    {
        try { await channel.CancelAsync(connectionId, cancellation, ct); }
        catch (Exception e) when (e is not OperationCanceledException) { LogStopFailed(log, cancellation.TaskId, connectionId, e); }
    }

    /// <summary>Writes a transition of the task's state: the new value, or null when it does not apply (any more).</summary>
    private async Task<ReviewTask?> TransitionAsync(string taskId, Func<ReviewTask, Transition> transition, CancellationToken ct, ReviewTask? known = null) =>
        (await TransitionFromAsync(taskId, transition, ct, known))?.After;

    /// <summary><see cref="TransitionAsync"/>, with the value the transition was decided on.</summary>
    private async Task<(ReviewTask Before, ReviewTask After)?> TransitionFromAsync(string taskId, Func<ReviewTask, Transition> transition, CancellationToken ct, ReviewTask? known = null)
    {
        ReviewTask? before = null;
        var after = await store.UpdateAsync(taskId, t => transition(before = t).Task, ct, known);
        if (after is null) return null;
        Written(before!.State, after);
        return (before, after);
    }

    private void Written(TaskState? before, ReviewTask after)
    {
        if (after.State == TaskState.Queued) queue.Enqueue(after);
        else queue.Forget(after.Id);
        Transitioned?.Invoke(before, after);
    }

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Telling the agent to stop task {TaskId} failed ({Connection})")]
    private static partial void LogStopFailed(ILogger logger, string taskId, string connection, Exception e);
}

/// <summary>A rerun's task, and whether this call created it (false: an earlier call with the same request id did).</summary>
public sealed record TaskRerun(ReviewTask Task, bool Created);
