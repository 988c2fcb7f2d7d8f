namespace ReviewBot.Core.Tasks;

/// <summary>
/// The task state machine, as pure functions: each takes the task as stored and returns the task to store, or a
/// refusal when the transition does not apply to it. The caller writes the result conditionally on the version it
/// read (so two writers never both win) and, on a conflict, calls the transition again on the fresh value.
/// <list type="bullet">
/// <item>Waiting → Queued: approve. Queued → Assigned: assign (a node, a fresh lease). Assigned → Running: accept.</item>
/// <item>Assigned → Queued: return to queue (refused, not accepted in time, unreachable); the attempt stays.</item>
/// <item>Assigned or Running → Queued as the next attempt, or Errored after the last: requeue (the agent was lost).</item>
/// <item>Assigned or Running → Succeeded, Failed, Errored, TimedOut, Cancelled or Skipped: complete (the agent's result).</item>
/// <item>Queued → Errored: expire (the queue timeout), fail in queue (a label filter that does not parse).</item>
/// <item>Any state that has not ended → Cancelled: cancel; → Errored: fail (the task's row cannot take the change).</item>
/// </list>
/// Everything after placement is guarded by the assignment's lease (and node), so an agent whose task was taken back
/// (a zombie) changes nothing. Split by concern: placement here, endings in <c>TaskTransitions.Endings.cs</c>, creation
/// and approval in <c>TaskTransitions.Creation.cs</c>.
/// </summary>
public static partial class TaskTransitions
{
    /// <summary>Whether <paramref name="t"/> is held (assigned or running) by <paramref name="nodeId"/> under
    /// <paramref name="lease"/>: the test every message from an agent about a task must pass.</summary>
    public static bool IsHeldBy(this ReviewTask t, string nodeId, string lease) =>
        t.State.IsHeld() && t.LeaseToken == lease && t.NodeId == nodeId;

    /// <summary>Queued → Assigned to a node under a fresh lease; <paramref name="reason"/> says why there.</summary>
    public static Transition Assign(ReviewTask t, string nodeId, string nodeName, string lease, string reason, DateTimeOffset now) =>
        t.State != TaskState.Queued ? Transition.Refused($"the task is {t.State.Name()}, not queued")
        : Transition.To(t.To(TaskState.Assigned, reason, now) with { LeaseToken = lease, NodeId = nodeId, NodeName = nodeName, PlacementReason = reason });

    /// <summary>Assigned → Running: the agent the task was assigned to accepted it, under its lease.</summary>
    public static Transition Accept(ReviewTask t, string nodeId, string lease, DateTimeOffset now) =>
        t.State != TaskState.Assigned || t.LeaseToken != lease || t.NodeId != nodeId ? NotAssignedThere(t)
        : Transition.To(t.To(TaskState.Running, $"accepted by {t.NodeName}", now) with { StartedAt = now });

    /// <summary>Assigned → Queued under the same lease (the agent refused, did not answer, could not be reached): not
    /// counted as an attempt; the queue time still counts from when the task was first queued.</summary>
    public static Transition ReturnToQueue(ReviewTask t, string nodeId, string lease, string why, DateTimeOffset now) =>
        t.State != TaskState.Assigned || t.LeaseToken != lease || t.NodeId != nodeId ? NotAssignedThere(t)
        : Transition.To(t.To(TaskState.Queued, why, now) with { LeaseToken = null, NodeId = null, NodeName = null, PlacementReason = why });

    /// <summary><see cref="ReturnToQueue"/> for an agent that did not accept within <paramref name="acceptTimeout"/>.</summary>
    public static Transition ExpireAcceptance(ReviewTask t, string nodeId, string nodeName, string lease, TimeSpan acceptTimeout, DateTimeOffset now) =>
        ReturnToQueue(t, nodeId, lease, $"{nodeName} did not accept within {acceptTimeout.TotalSeconds:0.#} s", now);

    /// <summary>Queued → Errored: not placed within <paramref name="queueTimeout"/>; the error says what it waited for.</summary>
    public static Transition ExpireInQueue(ReviewTask t, TimeSpan queueTimeout, string? waitReason, DateTimeOffset now)
    {
        if (t.State != TaskState.Queued) return Transition.Refused($"the task is {t.State.Name()}, not queued");
        var why = $"not placed within {queueTimeout}: {waitReason}";
        return Transition.To(t.To(TaskState.Errored, why, now) with { Error = why, PlacementReason = waitReason, CompletedAt = now });
    }

    /// <summary>Queued → Errored: the task can never be placed (its label filter does not parse).</summary>
    public static Transition FailInQueue(ReviewTask t, string why, DateTimeOffset now) =>
        t.State != TaskState.Queued ? Transition.Refused($"the task is {t.State.Name()}, not queued")
        : Transition.To(t.To(TaskState.Errored, why, now) with { Error = why, CompletedAt = now });

    /// <summary>Why a queued task waits (not a change of state, no history entry); refused when it already says so.</summary>
    public static Transition ExplainWait(ReviewTask t, string? waitReason) =>
        t.State != TaskState.Queued ? Transition.Refused($"the task is {t.State.Name()}, not queued")
        : t.PlacementReason == waitReason ? Transition.Refused("the task already says so")
        : Transition.To(t with { PlacementReason = waitReason });

    private static Transition NotAssignedThere(ReviewTask t) =>
        Transition.Refused(t.State == TaskState.Assigned ? "the task is assigned under another lease or to another node" : $"the task is {t.State.Name()}, not assigned");

}
