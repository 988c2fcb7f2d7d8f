using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Routing;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// The agents' side of the protocol (<see cref="IAgentHub"/>). Thin: presence goes to <see cref="AgentRegistry"/>,
/// acceptances to <see cref="TaskDispatcher"/>, results to <see cref="TaskCoordinator"/>.
/// Connections reach this hub only with a valid agent token (<see cref="AgentAuthentication"/>).
/// </summary>
public sealed partial class AgentHub(
    AgentRegistry registry,
    TaskDispatcher dispatcher,
    TaskCoordinator tasks,
    AgentDirectory directory,
    LogStore logs,
    IOptions<AgentsOptions> options,
    ILogger<AgentHub> log) : Hub<IAgentClient>, IAgentHub
{
    public async Task<RegistrationResult> Register(AgentRegistration registration)
    {
        if (Validate(registration) is { } problem)
        {
            LogRegistrationRefused(log, registration.NodeId, problem);
            return new RegistrationResult(false, problem, options.Value.HeartbeatInterval, []);
        }
        var (node, kept, lost) = registry.Register(registration, Context.ConnectionId);
        var cancel = await tasks.ReconcileAsync(registration, kept, lost, Context.ConnectionAborted);
        LogRegistered(log, registration.Name, registration.NodeId, string.Join(",", registration.Labels), registration.Capacity);
        await directory.SaveAsync(node, Context.ConnectionAborted);
        return new RegistrationResult(true, null, options.Value.HeartbeatInterval, cancel);
    }

    public async Task Heartbeat(AgentHeartbeat heartbeat)
    {
        if (!registry.Heartbeat(heartbeat, Context.ConnectionId, out var dropped))
            throw new HubException("unknown node on this connection: register first");
        if (dropped.Count > 0)
            await tasks.RequeueLostAsync(heartbeat.NodeId, dropped, $"{registry.Get(heartbeat.NodeId)?.Name ?? heartbeat.NodeId} no longer runs the task", Context.ConnectionAborted);
    }

    public Task<TaskAck> AcceptTask(TaskAcceptance acceptance) => dispatcher.OnAcceptanceAsync(acceptance, Context.ConnectionAborted);

    /// <summary>Stores the chunk (<see cref="LogStore"/>) before answering, so an acknowledged chunk is in the blob.</summary>
    public async Task AppendLog(LogChunk chunk)
    {
        // Output is accepted only from the node that holds the task under this lease; other chunks are dropped silently.
        if (registry.Get(chunk.NodeId) is not { } node || registry.HeldLease(node, chunk.TaskId) != chunk.LeaseToken) return;
        // Right after a reconnect the agent may send before it registered again: refuse, so it resends once registered.
        if (node.ConnectionId != Context.ConnectionId) throw new HubException("this connection has not registered the node yet; resend after registering");
        await logs.AppendAsync(chunk, Context.ConnectionAborted);
    }

    public Task<TaskAck> CompleteTask(TaskResult result) => tasks.CompleteAsync(result, CancellationToken.None);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        registry.Disconnected(Context.ConnectionId);
        return Task.CompletedTask;
    }

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
