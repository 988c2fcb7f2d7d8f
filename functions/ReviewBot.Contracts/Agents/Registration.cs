namespace ReviewBot.Contracts.Agents;

/// <param name="NodeId">Stable id, kept in the agent's work dir across restarts.</param>
/// <param name="Capacity">How many tasks the agent runs at once (≥ 1).</param>
/// <param name="Exclusive">An exclusive agent takes only tasks whose label filter matches it.</param>
/// <param name="RunningTasks">Tasks still running on the agent (after a reconnect).</param>
public sealed record AgentRegistration(
    string NodeId,
    string Name,
    IReadOnlyList<string> Labels,
    int Capacity,
    bool Exclusive,
    string Version,
    string Os,
    string Arch,
    int ProtocolVersion,
    IReadOnlyList<RunningTask> RunningTasks,
    bool Draining = false,
    bool Once = false);

public sealed record RunningTask(string TaskId, string LeaseToken);

/// <param name="CancelTasks">Tasks the agent reported as running that it must stop (reassigned or ended).</param>
public sealed record RegistrationResult(
    bool Accepted,
    string? Reason,
    TimeSpan HeartbeatInterval,
    IReadOnlyList<string> CancelTasks);

/// <summary>The agent leaves for good (a <c>--once</c> agent after reporting its one task): the server forgets the node
/// and deletes its stored row and credential. Refused (<see cref="TaskAck.Accepted"/> false, with the reason) unless
/// sent on the connection that registered <paramref name="NodeId"/> while that node holds no task.</summary>
public sealed record AgentDeregistration(string NodeId);

public sealed record AgentHeartbeat(string NodeId, IReadOnlyList<string> RunningTaskIds, bool Draining);
