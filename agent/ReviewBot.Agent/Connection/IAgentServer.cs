using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Connection;

/// <summary>
/// The server as the task side of the agent sees it: the task calls of <see cref="IAgentHub"/>
/// plus "wait until connected and registered". <see cref="AgentConnection"/> implements it over
/// SignalR; tests use an in-memory fake. Registration and heartbeats stay inside the connection.
/// Calls throw when the connection is down; callers keep their data and retry after
/// <see cref="WaitUntilReadyAsync"/>.
/// </summary>
internal interface IAgentServer
{
    /// <summary>Completes once the connection is up and registered (at once if it is now).</summary>
    Task WaitUntilReadyAsync(CancellationToken cancellationToken);

    Task<TaskAck> AcceptTaskAsync(TaskAcceptance acceptance, CancellationToken cancellationToken);

    Task AppendLogAsync(LogChunk chunk, CancellationToken cancellationToken);

    Task<TaskAck> CompleteTaskAsync(TaskResult result, CancellationToken cancellationToken);
}
