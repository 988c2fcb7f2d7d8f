namespace ReviewBot.Contracts.Agents;

/// <summary>
/// What an agent calls on the server. Hub path: <see cref="AgentProtocol.HubPath"/>.
/// Every call after <see cref="Register"/> names the node id; task calls carry the lease token of
/// the assignment so that a zombie agent (its task was reassigned) is refused.
/// </summary>
public interface IAgentHub
{
    /// <summary>First call after every (re)connect. Running tasks are those the agent still executes.</summary>
    Task<RegistrationResult> Register(AgentRegistration registration);

    /// <summary>Every <see cref="RegistrationResult.HeartbeatInterval"/>.</summary>
    Task Heartbeat(AgentHeartbeat heartbeat);

    /// <summary>Answer to <see cref="IAgentClient.AssignTask"/>: accept or refuse with a reason.</summary>
    Task<TaskAck> AcceptTask(TaskAcceptance acceptance);

    /// <summary>Console output, in numbered chunks.</summary>
    Task AppendLog(LogChunk chunk);

    /// <summary>The end of a task. Refused (Accepted = false) when the lease is no longer valid.</summary>
    Task<TaskAck> CompleteTask(TaskResult result);

    /// <summary>Last call of an agent that leaves for good (<see cref="AgentDeregistration"/>). Servers older than this
    /// call answer "method does not exist"; the agent then just disconnects (retention prunes the node later).</summary>
    Task<TaskAck> Deregister(AgentDeregistration deregistration);
}

/// <summary>What the server calls on an agent.</summary>
public interface IAgentClient
{
    Task AssignTask(TaskAssignment assignment);

    Task CancelTask(TaskCancellation cancellation);
}

public static class AgentProtocol
{
    public const string HubPath = "/api/agents/hub";

    /// <summary>Version of this contract; the server refuses agents of another major version.</summary>
    public const int Version = 1;
}
