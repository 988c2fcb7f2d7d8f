using ReviewBot.Contracts.Agents;

namespace ReviewBot.Core.Tasks;

/// <summary>What an agent may be given for a task: approval lets an untrusted task's linters run
/// (<see cref="ReviewTask.Untrusted"/>), never with the clone token or the job's secrets.</summary>
public static class UntrustedWork
{
    /// <summary>Whether the task's agent may get a clone token: the server does not even ask the code host for one otherwise.</summary>
    public static bool MayClone(ReviewTask task) => !task.Untrusted;

    /// <summary>The task's job as sent to the agent: its secrets removed when the task is untrusted.</summary>
    public static JobSpec? JobFor(ReviewTask task) =>
        task.Untrusted && task.Job is { } job ? job with { Secrets = new Dictionary<string, string>() } : task.Job;

    /// <summary>The assignment pushed to the agent for <paramref name="task"/> under <paramref name="lease"/>:
    /// <paramref name="token"/> (the code host's clone credential, sent as <paramref name="tokenUser"/>) only for a
    /// trusted task, the job without its secrets for an untrusted one.</summary>
    public static TaskAssignment Assignment(ReviewTask task, string lease, string? token, string? tokenUser, TimeSpan acceptTimeout) => new(
        task.Id, lease, task.Attempt,
        new SourceSpec(task.Repository, task.CloneUrl, task.HeadSha, task.HeadRef, task.BaseSha, task.BaseRef, task.PullRequest, MayClone(task) ? token : null)
            { TokenUser = tokenUser, AllowLocal = task.AllowLocal },
        task.Linter, acceptTimeout) { Job = JobFor(task), TraceParent = task.TraceParent };
}
