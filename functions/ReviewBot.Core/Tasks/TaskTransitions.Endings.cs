using ReviewBot.Contracts.Agents;

namespace ReviewBot.Core.Tasks;

// How a task ends, or goes back for another attempt.
public static partial class TaskTransitions
{
    /// <summary>The refusal an agent gets for a result under a lease that is no longer the task's.</summary>
    public const string ResultRefused = "this task was reassigned or has ended; the result is refused";

    /// <summary>Held → the state the agent's outcome names. Only for the node holding the task under the result's lease:
    /// a lease copied by another agent does not make its result this task's (security review D3).</summary>
    public static Transition Complete(ReviewTask t, TaskResult r, DateTimeOffset now)
    {
        if (!t.IsHeldBy(r.NodeId, r.LeaseToken)) return Transition.Refused(ResultRefused);
        var state = TaskStates.FromOutcome(r.Outcome);
        var note = r.Outcome switch
        {
            TaskOutcome.Skipped => r.Error ?? "no changed file matches the linter's languages",
            _ => $"{r.Outcome.ToString().ToLowerInvariant()} on {t.NodeName}: "
                 + (t.Job is null ? $"{r.Findings.Count} finding(s)" : $"{r.Steps.Count(s => s.Ran)} of {r.Steps.Count} step(s) run")
                 + (r.ExitCode is { } code ? $", exit code {code}" : "") + (r.Error is { } e ? $"; {e}" : ""),
        };
        return Transition.To(t.To(state, note, now) with
        {
            CompletedAt = now,
            StartedAt = t.StartedAt ?? now - r.Duration,
            // A job on a ref learns its commit only when the agent fetches it.
            HeadSha = t.HeadSha.Length == 0 && !string.IsNullOrEmpty(r.ResolvedSha) ? r.ResolvedSha : t.HeadSha,
            ExitCode = r.ExitCode,
            Error = r.Error,
            FindingCount = r.Findings.Count,
            UnexpectedCount = r.Unexpected.Count,
        });
    }

    /// <summary>What is stored of an agent's result, beside the task (written before the task ends: a task is never
    /// terminal without its findings). A linter's task without steps stores none.</summary>
    public static TaskResultDocument ResultOf(ReviewTask t, TaskResult r) =>
        new(r.Findings, r.Unexpected, r.ChangedFiles, r.Diff,
            Steps: t.Job is null && r.Steps.Count == 0 ? null : r.Steps, ResolvedSha: r.ResolvedSha, Error: r.Error,
            BaseFindings: r.BaseFindings, BaselineNote: r.BaselineNote);

    /// <summary>Held → Queued as a new attempt: the agent holding it under <paramref name="lease"/> was lost. After the
    /// last attempt (<see cref="ReviewTask.MaxAttempts"/>) the task errors instead.</summary>
    public static Transition Requeue(ReviewTask t, string lease, string reason, DateTimeOffset now)
    {
        if (!t.State.IsHeld() || t.LeaseToken != lease) return Transition.Refused("the task is no longer held under this lease");
        if (t.Attempt >= t.MaxAttempts)
        {
            var why = $"{reason}; gave up after {t.Attempt} attempt(s)";
            return Transition.To(t.To(TaskState.Errored, why, now) with { Error = why, CompletedAt = now, LeaseToken = null });
        }
        return Transition.To(t.To(TaskState.Queued, $"{reason}; attempt {t.Attempt + 1} of {t.MaxAttempts}", now) with
        {
            Attempt = t.Attempt + 1, LeaseToken = null, NodeId = null, NodeName = null, QueuedAt = now, StartedAt = null,
            PlacementReason = reason,
        });
    }

    /// <summary>Any state that has not ended → Cancelled. The agent holding it (if any) is told to stop by the caller;
    /// its lease stays on the task, so the caller knows whom to tell.</summary>
    public static Transition Cancel(ReviewTask t, string reason, DateTimeOffset now) =>
        t.State.IsTerminal() ? Transition.Refused($"the task has already ended ({t.State.Name()})")
        : Transition.To(t.To(TaskState.Cancelled, reason, now) with { CompletedAt = now, Error = reason });

    /// <summary>Any state that has not ended → Errored: the task cannot go on (its row cannot take the change).</summary>
    public static Transition Fail(ReviewTask t, string why, DateTimeOffset now) =>
        t.State.IsTerminal() ? Transition.Refused($"the task has already ended ({t.State.Name()})")
        : Transition.To(t.To(TaskState.Errored, why, now) with { Error = why, LeaseToken = null, CompletedAt = now });

    /// <summary>Whether a new push (<paramref name="headSha"/>, when the change request was updated at
    /// <paramref name="updatedAt"/>) makes <paramref name="t"/> pointless: a task that has not ended, of another revision
    /// of the same pull or merge request on the same host. Deliveries can arrive out of order (a redelivery of an older
    /// push): a task of a revision the change request got after <paramref name="updatedAt"/> is never superseded.</summary>
    public static bool IsSupersededBy(this ReviewTask t, string host, int pullRequest, string headSha, DateTimeOffset? updatedAt) =>
        !t.State.IsTerminal() && t.PullRequest == pullRequest && t.Host == host
        && !string.Equals(t.HeadSha, headSha, StringComparison.OrdinalIgnoreCase)
        && !(updatedAt is { } at && t.SourceUpdatedAt is { } theirs && theirs > at);

    /// <summary>The cancel reason of a superseded task.</summary>
    public static string SupersededReason(string headSha) => $"superseded by a newer push ({headSha[..Math.Min(7, headSha.Length)]})";
}
