namespace ReviewBot.Core.Tasks;

// How a task comes to be (created, re-run, approved) and what its history records besides states.
public static partial class TaskTransitions
{
    /// <summary>A new task as first stored: Queued, or Waiting when ingest made it wait for approval (an untrusted pull
    /// request's task, Trust/); Waiting tasks are stored but never routed until approved.</summary>
    public static ReviewTask Create(ReviewTask task, int maxAttempts, DateTimeOffset now)
    {
        var state = task.State == TaskState.Waiting ? TaskState.Waiting : TaskState.Queued;
        return task.To(state, $"created by {task.Trigger}" + (task.Untrusted ? $"; {task.PlacementReason}" : ""), now)
            with { QueuedAt = state == TaskState.Queued ? now : null, MaxAttempts = maxAttempts };
    }

    /// <summary>The same work again as a new task (a check run's "Re-run", a user's rerun), to be created with
    /// <see cref="Create"/>: what to run, where and how to report it are kept; what a run changed starts afresh (every
    /// property of <see cref="ReviewTask"/> is on one side: TaskRerunTests). A rerun is of the same commit: an approved
    /// task may run again (untrusted still), one awaiting approval may not. A job's run is rerun as the same steps and
    /// counts in the job's history as a firing of its own.</summary>
    public static Transition Rerun(ReviewTask original, string trigger, string requestId, DateTimeOffset now) =>
        original.State == TaskState.Waiting ? Transition.Refused("the task waits for approval; approving it runs it")
        : Transition.To(original with
        {
            Id = TaskIds.ForRerun(original.Id, requestId),
            Trigger = trigger, DeliveryId = requestId, CreatedAt = now,
            Reporting = original.Reporting is { Done: true, Stage: ReportStage.None } off ? off : new ReportProgress(),
            JobFiringKey = original.JobName is null ? null : "rerun:" + requestId, JobAttempt = 0,
            // Nothing of the original's run carries over (Create sets the attempts allowed).
            State = TaskState.Queued, Attempt = 1,
            LeaseToken = null, NodeId = null, NodeName = null, PlacementReason = null,
            QueuedAt = null, StartedAt = null, CompletedAt = null, ExitCode = null, Error = null, FindingCount = 0, UnexpectedCount = 0,
            History = [], Version = null, IndexVersions = null, TraceParent = null, // the lifecycle starts the rerun's own trace
        });

    /// <summary>Waiting → Queued: a trusted person approved the pull request. The task stays untrusted.</summary>
    public static Transition Approve(ReviewTask t, string note, DateTimeOffset now) =>
        t.State != TaskState.Waiting ? Transition.Refused($"the task is {t.State.Name()}, not waiting for approval")
        : Transition.To(t.To(TaskState.Queued, note, now) with { QueuedAt = now, PlacementReason = null });

    /// <summary>A history entry without a change of state (a job's retry was queued), once: refused when the history
    /// already has it, so two instances reacting to the same end record it once.</summary>
    public static Transition Note(ReviewTask t, string note, DateTimeOffset now) =>
        t.History.Any(h => h.Note == note) ? Transition.Refused("the history already records it")
        : Transition.To(t.To(t.State, note, now));
}
