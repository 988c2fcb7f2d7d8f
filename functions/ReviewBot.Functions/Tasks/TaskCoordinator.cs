using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// Task life after placement: results, lost agents, reconnects. Every transition is ETag-checked through
/// <see cref="TaskStore.UpdateAsync"/> and guarded by the lease, so a result from an agent whose task was
/// reassigned (a zombie) changes nothing and is refused.
/// </summary>
public sealed partial class TaskCoordinator(
    TaskStore store,
    AgentRegistry registry,
    TaskDispatcher dispatcher,
    IOptions<RoutingOptions> routing,
    TimeProvider time,
    ILogger<TaskCoordinator> log)
{
    private long _refused;

    /// <summary>Results refused because their lease was no longer valid (zombie agents), since start.</summary>
    public long RefusedResults => Interlocked.Read(ref _refused);

    /// <summary>Raised with the task id when a result is refused.</summary>
    public event Action<string>? ResultRefused;

    /// <summary>Raised with the task id when a (re)registering agent is told to stop a task it no longer holds.</summary>
    public event Action<string>? StaleTaskCancelled;

    /// <summary>Creates the task if it does not exist yet (deterministic ids make redeliveries no-ops) and queues it.</summary>
    public async Task<bool> CreateAsync(ReviewTask task, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // An untrusted pull request's task may start Waiting (Trust/): stored, but not routed until approved.
        var state = task.State == TaskState.Waiting ? TaskState.Waiting : TaskState.Queued;
        var queued = task.To(state, $"created by {task.Trigger}" + (task.Untrusted ? $"; {task.PlacementReason}" : ""), now)
            with { QueuedAt = state == TaskState.Queued ? now : null, MaxAttempts = routing.Value.MaxAttempts };
        if (await store.TryCreateAsync(queued, ct) is not { } created) return false;
        dispatcher.Enqueue(created);
        return true;
    }

    /// <summary>Queues the same work again as a new task (a check run's "Re-run", a user's rerun): same source,
    /// linter and report settings, fresh state and report. Null when the original may not run again (it awaits
    /// approval); <see cref="TaskRerun.Created"/> is false when an earlier call with this request id made it.</summary>
    public async Task<TaskRerun?> RerunAsync(ReviewTask original, string trigger, string requestId, CancellationToken ct)
    {
        // A re-run is of the same commit: an approved one may run again (untrusted still), one awaiting approval may not.
        if (original.State == TaskState.Waiting) return null;
        var rerun = RerunOf(original, trigger, requestId, time.GetUtcNow());
        return new TaskRerun(rerun, await CreateAsync(rerun, ct));
    }

    /// <summary>The rerun of <paramref name="original"/> before it is queued: what to run, where and how to report it
    /// are kept; what a run changed starts afresh (every property of <see cref="ReviewTask"/> is on one side: TaskRerunTests).</summary>
    internal static ReviewTask RerunOf(ReviewTask original, string trigger, string requestId, DateTimeOffset now) => original with
    {
        Id = TaskIds.ForRerun(original.Id, requestId),
        Reporting = original.Reporting is { Done: true, Stage: ReportStage.None } off ? off : new ReportProgress(),
        Trigger = trigger, DeliveryId = requestId, CreatedAt = now,
        // A job's run is rerun as the same steps; it counts in the job's history, as a firing of its own.
        JobFiringKey = original.JobName is null ? null : "rerun:" + requestId, JobAttempt = 0,
        State = TaskState.Queued, Attempt = 1, LeaseToken = null, NodeId = null, NodeName = null, PlacementReason = null,
        QueuedAt = null, StartedAt = null, CompletedAt = null, ExitCode = null, Error = null, FindingCount = 0, UnexpectedCount = 0,
        History = [], Version = null,
    };

    public async Task<TaskAck> CompleteAsync(TaskResult r, CancellationToken ct)
    {
        try { return await RecordResultAsync(AgentResultLimits.Cap(r), ct); }
        finally { dispatcher.NodeFreed(r.NodeId); }
    }

    private async Task<TaskAck> RecordResultAsync(TaskResult r, CancellationToken ct)
    {
        var current = await store.GetAsync(r.TaskId, ct);
        // The lease and the node: a lease copied by another agent does not make its result this task's (security review D3).
        if (current is null || !current.State.IsHeld() || current.LeaseToken != r.LeaseToken || current.NodeId != r.NodeId)
            return Refuse(r);
        // The result document is written first: a task is never terminal without its findings.
        await store.SaveResultAsync(r.TaskId, new TaskResultDocument(r.Findings, r.Unexpected, r.ChangedFiles, r.Diff,
            Steps: current.Job is null && r.Steps.Count == 0 ? null : r.Steps, ResolvedSha: r.ResolvedSha, Error: r.Error), ct);
        var now = time.GetUtcNow();
        var state = TaskStates.FromOutcome(r.Outcome);
        var note = r.Outcome switch
        {
            TaskOutcome.Skipped => r.Error ?? "no changed file matches the linter's languages",
            _ => $"{r.Outcome.ToString().ToLowerInvariant()} on {current.NodeName}: "
                 + (current.Job is null ? $"{r.Findings.Count} finding(s)" : $"{r.Steps.Count(s => s.Ran)} of {r.Steps.Count} step(s) run")
                 + (r.ExitCode is { } code ? $", exit code {code}" : "") + (r.Error is { } e ? $"; {e}" : ""),
        };
        var done = await store.UpdateAsync(r.TaskId, t => !t.State.IsHeld() || t.LeaseToken != r.LeaseToken || t.NodeId != r.NodeId ? null :
            t.To(state, note, now) with
            {
                CompletedAt = now,
                StartedAt = t.StartedAt ?? now - r.Duration,
                // A job on a ref learns its commit only when the agent fetches it.
                HeadSha = t.HeadSha.Length == 0 && !string.IsNullOrEmpty(r.ResolvedSha) ? r.ResolvedSha : t.HeadSha,
                ExitCode = r.ExitCode,
                Error = r.Error,
                FindingCount = r.Findings.Count,
                UnexpectedCount = r.Unexpected.Count,
            }, ct, known: current);
        registry.Release(r.NodeId, r.TaskId, r.LeaseToken);
        if (done is null) return Refuse(r);
        LogCompleted(log, r.TaskId, state, r.Findings.Count);
        return new TaskAck(true, null);
    }

    private TaskAck Refuse(TaskResult r)
    {
        LogRefused(log, r.TaskId, r.NodeId);
        Interlocked.Increment(ref _refused);
        ResultRefused?.Invoke(r.TaskId);
        return new TaskAck(false, "this task was reassigned or has ended; the result is refused");
    }

    /// <summary>The node lost these tasks: each goes back to the queue as a new attempt, or fails after the last one.</summary>
    public async Task RequeueLostAsync(string nodeId, IEnumerable<KeyValuePair<string, string>> tasks, string reason, CancellationToken ct)
    {
        foreach (var (taskId, lease) in tasks)
        {
            registry.Release(nodeId, taskId, lease);
            var now = time.GetUtcNow();
            var updated = await UpdateOrFailAsync(taskId, t =>
            {
                if (!t.State.IsHeld() || t.LeaseToken != lease) return null;
                if (t.Attempt >= t.MaxAttempts)
                    return t.To(TaskState.Errored, $"{reason}; gave up after {t.Attempt} attempt(s)", now) with { Error = $"{reason}; gave up after {t.Attempt} attempt(s)", CompletedAt = now, LeaseToken = null };
                return t.To(TaskState.Queued, $"{reason}; attempt {t.Attempt + 1} of {t.MaxAttempts}", now) with
                {
                    Attempt = t.Attempt + 1, LeaseToken = null, NodeId = null, NodeName = null, QueuedAt = now, StartedAt = null,
                    PlacementReason = reason,
                };
            }, ct);
            if (updated?.State == TaskState.Queued) dispatcher.Enqueue(updated);
            LogRequeued(log, taskId, reason);
        }
    }

    /// <summary>Cancels a task that has not ended: a queued one leaves the queue, a held one is taken from its
    /// agent, which is told to stop (it kills the linter's process tree). False when the task had already ended.</summary>
    public async Task<bool> CancelAsync(string taskId, string reason, CancellationToken ct)
    {
        var before = await store.GetAsync(taskId, ct);
        if (before is null || before.State.IsTerminal()) return false;
        var now = time.GetUtcNow();
        var cancelled = await store.UpdateAsync(taskId, t => t.State.IsTerminal() ? null :
            t.To(TaskState.Cancelled, reason, now) with { CompletedAt = now, Error = reason }, ct, known: before);
        if (cancelled is null) return false;
        dispatcher.Forget(taskId);
        if (before.NodeId is { } node && before.LeaseToken is { } lease)
        {
            registry.Release(node, taskId, lease);
            if (registry.Get(node)?.ConnectionId is { } connection)
                await dispatcher.TryCancelAsync(connection, new TaskCancellation(taskId, lease, reason), ct);
        }
        return true;
    }

    /// <summary>A new push to a pull request makes the tasks of its older revisions pointless: they are cancelled.
    /// Deliveries can arrive out of order (a redelivery of an older push): only tasks of revisions the pull request
    /// had before <paramref name="updatedAt"/> are cancelled, never those of a later one. Only tasks of the same
    /// <paramref name="host"/>: a GitLab merge request and a GitHub pull request may share a path and a number.</summary>
    public async Task<int> SupersedeAsync(string repository, int pullRequest, string headSha, DateTimeOffset? updatedAt, CancellationToken ct, string host = CodeHostNames.GitHub)
    {
        var active = await store.ListAsync(new TaskQuery(Repository: repository, States: [TaskState.Waiting, TaskState.Queued, TaskState.Assigned, TaskState.Running], Top: int.MaxValue), ct);
        var count = 0;
        foreach (var old in active.Where(t => t.PullRequest == pullRequest && t.Host == host && !string.Equals(t.HeadSha, headSha, StringComparison.OrdinalIgnoreCase)
                                              && !(updatedAt is { } at && t.SourceUpdatedAt is { } theirs && theirs > at)))
            if (await CancelAsync(old.Id, $"superseded by a newer push ({headSha[..Math.Min(7, headSha.Length)]})", ct)) count++;
        return count;
    }

    /// <summary>Reconciles what a (re)registering agent runs with what this instance believes it holds.
    /// Returns the task ids the agent must cancel: those it runs under a lease that is no longer valid.</summary>
    public async Task<IReadOnlyList<string>> ReconcileAsync(AgentRegistration r, IReadOnlyList<string> kept, IReadOnlyList<string> lost, CancellationToken ct)
    {
        if (lost.Count > 0 && registry.Get(r.NodeId) is { } node)
        {
            List<KeyValuePair<string, string>> gone;
            lock (node.Gate) gone = [.. node.Tasks.Where(t => lost.Contains(t.Key))];
            await RequeueLostAsync(r.NodeId, gone, $"{r.Name} restarted without task", ct);
        }
        var cancel = new List<string>();
        foreach (var running in r.RunningTasks)
        {
            if (kept.Contains(running.TaskId)) continue;
            var t = await store.GetAsync(running.TaskId, ct);
            if (t is { } task && task.State.IsHeld() && task.LeaseToken == running.LeaseToken && task.NodeId == r.NodeId)
                registry.Hold(r.NodeId, task.Id, running.LeaseToken); // recovered after a restart of the app
            else
            {
                cancel.Add(running.TaskId);
                StaleTaskCancelled?.Invoke(running.TaskId);
            }
        }
        return cancel;
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Result for task {TaskId} from node {NodeId} refused: lease no longer valid")]
    private static partial void LogRefused(ILogger logger, string taskId, string nodeId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Task {TaskId} {State} with {Findings} finding(s)")]
    private static partial void LogCompleted(ILogger logger, string taskId, TaskState state, int findings);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Task {TaskId} taken back: {Reason}")]
    private static partial void LogRequeued(ILogger logger, string taskId, string reason);
}

/// <summary>A rerun's task, and whether this call created it (false: an earlier call with the same request id did).</summary>
public sealed record TaskRerun(ReviewTask Task, bool Created);
