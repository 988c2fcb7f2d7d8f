using Microsoft.Extensions.Options;

namespace ReviewBot.Functions.Agents.Credentials;

/// <summary>
/// With a Redis backplane the instance that revokes an agent may not hold its connection, and the in-process hub can
/// close only its own connections. Every <see cref="AgentsOptions.LastPingFlushInterval"/> each instance reads the
/// revoked credentials (one partition query) and cuts off the revoked nodes still connected here
/// (<see cref="AgentRevocation.CutOffHereAsync"/>). Registered only with the backplane; on a single instance and
/// through Azure SignalR Service (whose REST API closes any connection) the revoking instance does it at once.
/// </summary>
public sealed partial class RevocationSweep(
    AgentCredentialStore store, AgentRegistry registry, AgentRevocation revocation, IOptions<AgentsOptions> options, TimeProvider time,
    ILogger<RevocationSweep> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastPingFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await SweepAsync(stoppingToken); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested) { LogFailed(log, e); }
            }
        }
        catch (OperationCanceledException) { } // stopping
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        foreach (var revoked in (await store.ListAsync(ct)).Where(c => c.Revoked))
        {
            if (registry.Get(revoked.NodeId) is not { } node) continue;
            bool notCutOff; // not yet revoked here, or still connected here
            lock (node.Gate) notCutOff = node.ConnectionId is not null || !node.Revoked;
            if (notCutOff) await revocation.CutOffHereAsync(revoked.NodeId, $"agent {revoked.Name} was revoked by {revoked.RevokedBy}", ct);
        }
    }

    [LoggerMessage(EventId = 413, Level = LogLevel.Error, Message = "Revocation sweep failed; retrying at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
