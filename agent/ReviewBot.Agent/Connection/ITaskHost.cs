using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Connection;

/// <summary>
/// What <see cref="AgentConnection"/> needs from the task side: the server's calls
/// (<see cref="IAgentClient"/>) and the state it reports when registering and in heartbeats.
/// Implemented by <see cref="Tasks.TaskSupervisor"/>. The <see cref="IAgentClient"/> methods must
/// return quickly: they run on the connection's receive loop.
/// </summary>
internal interface ITaskHost : IAgentClient
{
    /// <summary>Tasks this agent holds: running, or finished with a result not yet delivered.</summary>
    IReadOnlyList<RunningTask> RunningTasks { get; }

    bool Draining { get; }

    /// <summary>Raised when <see cref="Draining"/> turns true, so the server hears it at once.</summary>
    event Action? DrainingStarted;

    /// <summary>The server listed these tasks in <see cref="RegistrationResult.CancelTasks"/>: stop them, drop their results.</summary>
    void Abandon(IReadOnlyList<string> taskIds, string reason);
}
