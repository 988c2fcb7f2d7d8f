using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Tasks;

/// <summary>One task's execution, as <see cref="TaskSupervisor"/> drives it. Implemented by <see cref="TaskRunner"/>.</summary>
internal interface ITaskRunner
{
    /// <summary>Runs the task to its end; never throws: every failure is a <see cref="TaskResult"/>.</summary>
    Task<TaskResult> RunAsync();

    /// <summary>Stops the task (kills its process tree); <see cref="RunAsync"/> then ends with <see cref="TaskOutcome.Cancelled"/>.</summary>
    void Cancel(string reason);
}
