using Microsoft.Extensions.Options;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// Declares nodes offline (missed heartbeats, or disconnected past the grace) and gives their tasks back to the
/// queue; writes last-ping times to Table Storage in batches every <see cref="AgentsOptions.LastPingFlushInterval"/>.
/// </summary>
public sealed partial class PresenceMonitor(
    AgentRegistry registry,
    TaskCoordinator tasks,
    NodeStore nodes,
    IOptions<AgentsOptions> options,
    TimeProvider time,
    ILogger<PresenceMonitor> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var check = TimeSpan.FromTicks(Math.Clamp(Math.Min(o.HeartbeatInterval.Ticks, o.DisconnectGrace.Ticks) / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(2).Ticks));
        using var timer = new PeriodicTimer(check, time);
        var lastFlush = time.GetUtcNow();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var (node, lost, reason) in registry.CollectLost())
                {
                    LogOffline(log, node.Name, node.NodeId, reason, lost.Count);
                    await tasks.RequeueLostAsync(node.NodeId, lost, reason, stoppingToken);
                }
                if (time.GetUtcNow() - lastFlush >= o.LastPingFlushInterval)
                {
                    lastFlush = time.GetUtcNow();
                    await FlushPingsAsync(stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage may be away; the in-memory registry stays valid and the next tick tries again.
                LogFailed(log, e);
            }
        }
    }

    public async Task FlushPingsAsync(CancellationToken ct)
    {
        var pings = registry.TakeUnsavedPings();
        if (pings.Count > 0) await nodes.WriteLastPingsAsync(pings, ct);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Agent {Name} ({NodeId}) is offline: {Reason}; {Count} task(s) taken back")]
    private static partial void LogOffline(ILogger logger, string name, string nodeId, string reason, int count);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Presence check failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
