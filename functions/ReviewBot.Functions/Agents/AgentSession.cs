using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

/// <summary>A call an agent made that the protocol refuses (it must register first, send log chunks in order); the
/// channel turns it into the error the agent sees (a <c>HubException</c> in process, an error completion through the
/// service).</summary>
public sealed class AgentProtocolException(string message) : Exception(message);

/// <summary>
/// What the server does for each call of the agent protocol (<see cref="IAgentHub"/>), whichever channel carried
/// it: the in-process hub (<see cref="AgentHub"/>) or Azure SignalR Service's upstream
/// (<see cref="Serverless.UpstreamEndpoints"/>). The <see cref="AgentCaller"/> is the connection (the channel's id)
/// and what its credential proved. A connection speaks for the one node it registered, and only for it: task calls
/// naming another node are refused (security review D3), and the task must be that node's under that lease.
/// </summary>
public sealed partial class AgentSession(
    AgentRegistry registry,
    AgentCredentials credentials,
    TaskLifecycle tasks,
    AgentDirectory directory,
    LogStore logs,
    NodeDeregistration deregistration,
    IOptions<AgentsOptions> options,
    ILogger<AgentSession> log)
{
    /// <summary>Nodes already warned about their shared token (once per node and instance, not at every reconnect).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _warnedShared = new(StringComparer.Ordinal);

    /// <summary>Checks everything first (the registration's fields, the credential's node id, who holds the node id and
    /// the connection) and changes nothing when any check fails (security review D10).</summary>
    public async Task<RegistrationResult> RegisterAsync(AgentCaller caller, AgentRegistration registration, CancellationToken ct)
    {
        var problem = RegistrationRules.Problem(registration) ?? await credentials.RegistrationProblemAsync(caller, registration.NodeId, ct);
        var binding = caller.Kind == AgentCredentialKind.Agent ? AgentBinding.Agent : caller.Subject;
        RegisteredNode? registered = null;
        if (problem is null && (registered = registry.TryRegister(registration!, caller.ConnectionId, binding, out var taken)) is null) problem = taken;
        if (problem is not null || registered is null)
        {
            problem ??= "registration refused";
            LogRegistrationRefused(log, RegistrationRules.IsValidNodeId(registration?.NodeId) ? registration!.NodeId : "(invalid node id)", caller.Describe(), problem);
            return new RegistrationResult(false, problem, options.Value.HeartbeatInterval, []);
        }
        var (node, kept, lost) = registered;
        var cancel = await tasks.ReconcileAsync(registration!, kept, lost, ct);
        LogRegistered(log, registration!.Name, registration.NodeId, string.Join(",", registration.Labels), registration.Capacity);
        if (caller.Kind == AgentCredentialKind.Shared && _warnedShared.TryAdd(registration.NodeId, 0))
            LogSharedToken(log, registration.Name, registration.NodeId, caller.Describe());
        await directory.SaveAsync(node, ct);
        return new RegistrationResult(true, null, options.Value.HeartbeatInterval, cancel);
    }

    public async Task HeartbeatAsync(AgentCaller caller, AgentHeartbeat heartbeat, CancellationToken ct)
    {
        if (!registry.Heartbeat(heartbeat, caller.ConnectionId, out var dropped))
            throw new AgentProtocolException("unknown node on this connection: register first");
        if (dropped.Count > 0)
            await tasks.RequeueLostAsync(heartbeat.NodeId, dropped, $"{registry.Get(heartbeat.NodeId)?.Name ?? heartbeat.NodeId} no longer runs the task", ct);
    }

    public async Task<TaskAck> AcceptTaskAsync(AgentCaller caller, TaskAcceptance acceptance, CancellationToken ct)
    {
        if (Refusal(caller, acceptance.NodeId) is { } refused) return refused;
        var ack = await tasks.AcceptAsync(acceptance, ct);
        if (ack.Accepted && acceptance.Accepted) registry.TaskAccepted(acceptance.NodeId);
        return ack;
    }

    /// <summary>Stores the chunk (<see cref="LogStore"/>) before answering, so an acknowledged chunk is in the blob.
    /// Output is accepted only from the connection of the node that holds the task under this lease; chunks of a task
    /// the node no longer holds are dropped; a chunk sent before an earlier one of its lease was stored is refused.</summary>
    public async Task AppendLogAsync(AgentCaller caller, LogChunk chunk, CancellationToken ct)
    {
        if (Refusal(caller, chunk.NodeId) is { } refused) throw new AgentProtocolException(refused.Reason!);
        if (registry.Get(chunk.NodeId) is not { } node || registry.HeldLease(node, chunk.TaskId) != chunk.LeaseToken) return;
        if (await logs.AppendAsync(chunk, ct) == LogAppendOutcome.OutOfOrder)
            throw new AgentProtocolException($"log chunk {chunk.Sequence} of task {chunk.TaskId} is out of order: an earlier chunk of its lease " +
                "was not stored; chunks must be sent in order, each after the one before was acknowledged");
    }

    public async Task<TaskAck> CompleteTaskAsync(AgentCaller caller, TaskResult result) =>
        Refusal(caller, result.NodeId) ?? await tasks.CompleteAsync(result, CancellationToken.None);

    /// <summary>The agent leaves for good (<see cref="NodeDeregistration"/>): refused unless the connection speaks for
    /// the node and the node holds no task.</summary>
    public async Task<TaskAck> DeregisterAsync(AgentCaller caller, AgentDeregistration request, CancellationToken ct)
    {
        if (Refusal(caller, request.NodeId) is { } refused) return refused;
        return await deregistration.DeregisterAsync(caller, request.NodeId, ct) is { } problem ? new TaskAck(false, problem) : new TaskAck(true, null);
    }

    public void Disconnected(string connectionId) => registry.Disconnected(connectionId);

    /// <summary>A refusal when the connection does not speak for <paramref name="nodeId"/>. A connection that has not
    /// registered yet (right after a reconnect the agent may send before registering again) gets an error instead, so
    /// it sends again once registered.</summary>
    private TaskAck? Refusal(AgentCaller caller, string nodeId) => registry.SpeakerOf(caller.ConnectionId, nodeId) switch
    {
        Speaker.Yes => null,
        Speaker.OtherNode => new TaskAck(false, $"this connection speaks for node {registry.NodeOf(caller.ConnectionId)}, not {nodeId}"),
        _ => throw new AgentProtocolException("this connection has not registered the node yet; resend after registering"),
    };

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Agent {Name} ({NodeId}) registered: labels [{Labels}], capacity {Capacity}")]
    private static partial void LogRegistered(ILogger logger, string name, string nodeId, string labels, int capacity);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Agent {NodeId} refused ({Credential}): {Problem}")]
    private static partial void LogRegistrationRefused(ILogger logger, string nodeId, string credential, string problem);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Agent {Name} ({NodeId}) connected with {Credential}: shared tokens are deprecated; " +
        "register it once with 'reviewbot-agent register' so it has its own credential (ReviewBot:Agents:AllowSharedTokens turns shared tokens off)")]
    private static partial void LogSharedToken(ILogger logger, string name, string nodeId, string credential);
}
