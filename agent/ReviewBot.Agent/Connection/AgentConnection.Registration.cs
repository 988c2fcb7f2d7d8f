using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Connection;

internal sealed partial class AgentConnection
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Registers with the tasks this agent still holds, retrying while connected. Tasks the server
    /// lists in <see cref="RegistrationResult.CancelTasks"/> are abandoned. Returns without
    /// registering when the connection drops meanwhile: the reconnect registers again.
    /// </summary>
    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0L; ; attempt++)
        {
            if (Deregistered)
            {
                return; // the node left for good: registering again would re-create it on the server
            }

            var registration = new AgentRegistration(
                _identity.NodeId,
                _options.Name,
                _options.Labels,
                _options.Capacity,
                _options.Exclusive,
                _identity.Version,
                _identity.Os,
                _identity.Arch,
                AgentProtocol.Version,
                _tasks.RunningTasks,
                _tasks.Draining,
                _options.Once);
            try
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                call.CancelAfter(CallTimeout);
                var result = await _hub.InvokeAsync<RegistrationResult>(nameof(IAgentHub.Register), registration, call.Token).ConfigureAwait(false);
                if (!result.Accepted)
                {
                    var reason = result.Reason ?? "no reason given";
                    Log.RegistrationRefused(_logger, reason);
                    _refused = new RegistrationRefusedException(reason);
                    throw _refused;
                }

                _heartbeatInterval = result.HeartbeatInterval > TimeSpan.Zero ? result.HeartbeatInterval : DefaultHeartbeat;
                Log.Registered(_logger, _identity.NodeId, _options.Name, registration.RunningTasks.Count, _heartbeatInterval.TotalSeconds);
                if (result.CancelTasks is { Count: > 0 } cancel)
                {
                    _tasks.Abandon(cancel, "the server no longer assigns it to this agent");
                }

                SetReady();
                _heartbeatNow.Release(); // picks up the server's interval now instead of after the old one
                return;
            }
            catch (Exception ex) when (ex is not RegistrationRefusedException && !cancellationToken.IsCancellationRequested)
            {
                if (_hub.State != HubConnectionState.Connected)
                {
                    return;
                }

                var delay = _backoff.Delay(attempt);
                Log.RegistrationFailed(_logger, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every heartbeat interval (and at once when draining starts) while registered.</summary>
    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                await Task.WhenAny(Task.Delay(_heartbeatInterval, _time, wait.Token), _heartbeatNow.WaitAsync(wait.Token)).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
            }

            if (cancellationToken.IsCancellationRequested || !IsReady)
            {
                continue;
            }

            var heartbeat = new AgentHeartbeat(_identity.NodeId, _tasks.RunningTasks.Select(t => t.TaskId).ToList(), _tasks.Draining);
            try
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                call.CancelAfter(CallTimeout);
                await _hub.InvokeAsync(nameof(IAgentHub.Heartbeat), heartbeat, call.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // control flow: the agent is stopping
            }
            catch (HubException ex) when (!cancellationToken.IsCancellationRequested && ex.Message.Contains("register", StringComparison.OrdinalIgnoreCase))
            {
                // The server declared this node offline (missed heartbeats) while the connection stayed up:
                // register again; the server tells which of our tasks were given away.
                Log.HeartbeatFailed(_logger, ex.Message);
                await RegisterAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.HeartbeatFailed(_logger, ex.Message);
            }
        }
    }

    private bool IsReady
    {
        get
        {
            lock (_lock)
            {
                return _ready.Task.IsCompletedSuccessfully;
            }
        }
    }
}
