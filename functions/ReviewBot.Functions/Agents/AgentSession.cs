using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Routing;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

/// <summary>A call an agent made that the protocol refuses (it must register first); the channel turns it into
/// the error the agent sees (a <c>HubException</c> in process, an error completion through the service).</summary>
public sealed class AgentProtocolException(string message) : Exception(message);

/// <summary>
/// What the server does for each call of the agent protocol (<see cref="IAgentHub"/>), whichever channel carried
/// it: the in-process hub (<see cref="AgentHub"/>) or Azure SignalR Service's upstream
/// (<see cref="Serverless.UpstreamEndpoints"/>). The connection id is the channel's id of the agent's connection.
/// </summary>
public sealed partial class AgentSession(
    AgentRegistry registry,
    TaskDispatcher dispatcher,
    TaskCoordinator tasks,
    AgentDirectory directory,
    LogStore logs,
    IOptions<AgentsOptions> options,
    ILogger<AgentSession> log)
{
    public async Task<RegistrationResult> RegisterAsync(string connectionId, AgentRegistration registration, CancellationToken ct)
    {
        if (Validate(registration) is { } problem)
        {
            LogRegistrationRefused(log, registration.NodeId, problem);
            return new RegistrationResult(false, problem, options.Value.HeartbeatInterval, []);
        }
        var (node, kept, lost) = registry.Register(registration, connectionId);
        var cancel = await tasks.ReconcileAsync(registration, kept, lost, ct);
        LogRegistered(log, registration.Name, registration.NodeId, string.Join(",", registration.Labels), registration.Capacity);
        await directory.SaveAsync(node, ct);
        return new RegistrationResult(true, null, options.Value.HeartbeatInterval, cancel);
    }

    public async Task HeartbeatAsync(string connectionId, AgentHeartbeat heartbeat, CancellationToken ct)
    {
        if (!registry.Heartbeat(heartbeat, connectionId, out var dropped))
            throw new AgentProtocolException("unknown node on this connection: register first");
        if (dropped.Count > 0)
            await tasks.RequeueLostAsync(heartbeat.NodeId, dropped, $"{registry.Get(heartbeat.NodeId)?.Name ?? heartbeat.NodeId} no longer runs the task", ct);
    }

    public Task<TaskAck> AcceptTaskAsync(TaskAcceptance acceptance, CancellationToken ct) => dispatcher.OnAcceptanceAsync(acceptance, ct);

    /// <summary>Stores the chunk (<see cref="LogStore"/>) before answering, so an acknowledged chunk is in the blob.
    /// Output is accepted only from the node that holds the task under this lease; other chunks are dropped.</summary>
    public async Task AppendLogAsync(string connectionId, LogChunk chunk, CancellationToken ct)
    {
        if (registry.Get(chunk.NodeId) is not { } node || registry.HeldLease(node, chunk.TaskId) != chunk.LeaseToken) return;
        // Right after a reconnect the agent may send before it registered again: refuse, so it resends once registered.
        if (node.ConnectionId != connectionId) throw new AgentProtocolException("this connection has not registered the node yet; resend after registering");
        await logs.AppendAsync(chunk, ct);
    }

    public Task<TaskAck> CompleteTaskAsync(TaskResult result) => tasks.CompleteAsync(result, CancellationToken.None);

    public void Disconnected(string connectionId) => registry.Disconnected(connectionId);

    private static string? Validate(AgentRegistration r)
    {
        if (r.ProtocolVersion != AgentProtocol.Version) return $"protocol version {r.ProtocolVersion} is not supported; this server speaks {AgentProtocol.Version}";
        if (string.IsNullOrWhiteSpace(r.NodeId) || r.NodeId.Length > 128) return "nodeId must be 1-128 characters";
        if (r.Capacity < 1) return "capacity must be at least 1";
        if (r.Labels.Any(string.IsNullOrWhiteSpace)) return "labels must not be empty";
        return null;
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Agent {Name} ({NodeId}) registered: labels [{Labels}], capacity {Capacity}")]
    private static partial void LogRegistered(ILogger logger, string name, string nodeId, string labels, int capacity);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Agent {NodeId} refused: {Problem}")]
    private static partial void LogRegistrationRefused(ILogger logger, string nodeId, string problem);
}
