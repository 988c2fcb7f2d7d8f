using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Trust;

/// <summary>What an agent may be given for an untrusted task (<see cref="ReviewTask.Untrusted"/>): approval lets the
/// linters run, never the secrets. The clone token is withheld in Routing/TaskDispatcher.cs.</summary>
public static class UntrustedWork
{
    /// <summary>The task's job as sent to the agent: its secrets removed when the task is untrusted.</summary>
    public static JobSpec? JobFor(ReviewTask task) =>
        task.Untrusted && task.Job is { } job ? job with { Secrets = new Dictionary<string, string>() } : task.Job;
}
