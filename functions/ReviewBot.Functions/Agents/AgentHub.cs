using Microsoft.AspNetCore.SignalR;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// The agents' side of the protocol (<see cref="IAgentHub"/>) over the in-process hub: a thin adapter onto
/// <see cref="AgentSession"/>, which Azure SignalR Service's upstream uses too. Connections reach this hub only
/// with a valid agent token (<see cref="AgentAuthentication"/>).
/// </summary>
public sealed class AgentHub(AgentSession session) : Hub<IAgentClient>, IAgentHub
{
    public Task<RegistrationResult> Register(AgentRegistration registration) =>
        session.RegisterAsync(Context.ConnectionId, registration, Context.ConnectionAborted);

    public async Task Heartbeat(AgentHeartbeat heartbeat)
    {
        try { await session.HeartbeatAsync(Context.ConnectionId, heartbeat, Context.ConnectionAborted); }
        catch (AgentProtocolException e) { throw new HubException(e.Message); }
    }

    public Task<TaskAck> AcceptTask(TaskAcceptance acceptance) => session.AcceptTaskAsync(acceptance, Context.ConnectionAborted);

    public async Task AppendLog(LogChunk chunk)
    {
        try { await session.AppendLogAsync(Context.ConnectionId, chunk, Context.ConnectionAborted); }
        catch (AgentProtocolException e) { throw new HubException(e.Message); }
    }

    public Task<TaskAck> CompleteTask(TaskResult result) => session.CompleteTaskAsync(result);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        session.Disconnected(Context.ConnectionId);
        return Task.CompletedTask;
    }
}
