using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Connection;

internal sealed partial class AgentConnection
{
    private bool _deregistered;

    private bool Deregistered
    {
        get
        {
            lock (_lock)
            {
                return _deregistered;
            }
        }
    }

    /// <summary>
    /// Tells the server this node leaves for good (a <c>--once</c> agent after its task was reported): the server forgets
    /// it and deletes its row and credential. From the moment this is called, the connection registers no more (not
    /// after a heartbeat the server answers "register first", not after a reconnect), so nothing re-creates the node.
    /// Best effort: true when the server confirmed; false (logged) when it refused, is too old to know the call, or
    /// cannot be reached. Retention then prunes the node later.
    /// </summary>
    public async Task<bool> DeregisterAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _deregistered = true;
        }

        SetNotReady(); // the heartbeat loop sends nothing more
        try
        {
            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            call.CancelAfter(CallTimeout);
            var ack = await _hub.InvokeAsync<TaskAck>(nameof(IAgentHub.Deregister), new AgentDeregistration(_identity.NodeId), call.Token).ConfigureAwait(false);
            if (ack.Accepted)
            {
                Log.Deregistered(_logger, _identity.NodeId);
                return true;
            }

            Log.DeregistrationFailed(_logger, ack.Reason ?? "no reason given");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.DeregistrationFailed(_logger, ex.Message);
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(212, LogLevel.Information, "Deregistered node {NodeId}: the server forgot it and its credential.", EventName = "Deregistered")]
        public static partial void Deregistered(ILogger logger, string nodeId);

        [LoggerMessage(213, LogLevel.Warning, "Could not deregister ({Reason}); the server's retention removes the node later.", EventName = "DeregistrationFailed")]
        public static partial void DeregistrationFailed(ILogger logger, string reason);
    }
}
