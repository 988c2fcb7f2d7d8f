using Microsoft.AspNetCore.SignalR;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Agents.Credentials;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// The agents' side of the protocol (<see cref="IAgentHub"/>) over the in-process hub: a thin adapter onto
/// <see cref="AgentSession"/>, which Azure SignalR Service's upstream uses too. Connections reach this hub only
/// with a valid agent token (<see cref="AgentAuthentication"/>), which made the connection's user the
/// <see cref="AgentCaller"/> every call is checked against.
/// </summary>
public sealed class AgentHub(AgentSession session, AgentConnections connections) : Hub<IAgentClient>, IAgentHub
{
    private AgentCaller Caller => AgentCaller.From(Context.ConnectionId, Context.User) ?? throw new HubException("this connection has no agent credential");

    public override Task OnConnectedAsync()
    {
        connections.Opened(Context);
        return Task.CompletedTask;
    }

    public Task<RegistrationResult> Register(AgentRegistration registration) =>
        session.RegisterAsync(Caller, registration, Context.ConnectionAborted);

    public Task Heartbeat(AgentHeartbeat heartbeat) => Refusing(() => session.HeartbeatAsync(Caller, heartbeat, Context.ConnectionAborted));

    public Task<TaskAck> AcceptTask(TaskAcceptance acceptance) => Refusing(() => session.AcceptTaskAsync(Caller, acceptance, Context.ConnectionAborted));

    public Task AppendLog(LogChunk chunk) => Refusing(() => session.AppendLogAsync(Caller, chunk, Context.ConnectionAborted));

    public Task<TaskAck> CompleteTask(TaskResult result) => Refusing(() => session.CompleteTaskAsync(Caller, result));

    public Task<TaskAck> Deregister(AgentDeregistration deregistration) =>
        Refusing(() => session.DeregisterAsync(Caller, deregistration, Context.ConnectionAborted));

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Closed(Context.ConnectionId);
        session.Disconnected(Context.ConnectionId);
        return Task.CompletedTask;
    }

    /// <summary>A call the protocol refuses reaches the agent as a hub error with the reason.</summary>
    private static async Task Refusing(Func<Task> call)
    {
        try { await call(); }
        catch (AgentProtocolException e) { throw new HubException(e.Message); }
    }

    private static async Task<T> Refusing<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (AgentProtocolException e) { throw new HubException(e.Message); }
    }
}
