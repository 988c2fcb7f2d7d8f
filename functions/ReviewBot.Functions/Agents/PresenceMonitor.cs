using Microsoft.Extensions.Options;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// Declares nodes offline (missed heartbeats, or disconnected past the grace) and gives their tasks back to the
/// queue; writes last-ping times to Table Storage in batches every <see cref="AgentsOptions.LastPingFlushInterval"/>,
/// the batches spread over the interval so that a thousand nodes' pings never hold up task writes in one burst.
/// </summary>
public sealed partial class PresenceMonitor(
    AgentRegistry registry,
    TaskCoordinator tasks,
    NodeStore nodes,
    IOptions<AgentsOptions> options,
    TimeProvider time,
    ILogger<PresenceMonitor> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchPresenceAsync(stoppingToken), FlushLoopAsync(stoppingToken));

    private async Task WatchPresenceAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var check = TimeSpan.FromTicks(Math.Clamp(Math.Min(o.HeartbeatInterval.Ticks, o.DisconnectGrace.Ticks) / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(2).Ticks));
        using var timer = new PeriodicTimer(check, time);
        while (await Tick(timer, stoppingToken))
        {
            try
            {
                foreach (var (node, lost, reason) in registry.CollectLost())
                {
                    LogOffline(log, node.Name, node.NodeId, reason, lost.Count);
                    await tasks.RequeueLostAsync(node.NodeId, lost, reason, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage may be away; the in-memory registry stays valid and the next tick tries again.
                LogFailed(log, e);
            }
        }
    }

    private async Task FlushLoopAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.LastPingFlushInterval;
        using var timer = new PeriodicTimer(interval, time);
        while (await Tick(timer, stoppingToken))
        {
            try { await FlushPingsAsync(stoppingToken, spreadOver: interval / 2); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { LogFailed(log, e); }
        }
    }

    /// <summary>Writes the pings received since the last flush, 100 per transaction; with <paramref name="spreadOver"/>,
    /// the transactions are paced evenly over that time instead of sent back to back.</summary>
    public async Task FlushPingsAsync(CancellationToken ct, TimeSpan spreadOver = default)
    {
        var pings = registry.TakeUnsavedPings();
        var chunks = pings.Chunk(NodeStore.MaxBatch).ToList();
        var pause = chunks.Count > 1 ? spreadOver / chunks.Count : TimeSpan.Zero;
        for (var i = 0; i < chunks.Count; i++)
        {
            if (i > 0 && pause > TimeSpan.Zero) await Task.Delay(pause, time, ct);
            await nodes.WriteLastPingsAsync(chunks[i], ct);
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Agent {Name} ({NodeId}) is offline: {Reason}; {Count} task(s) taken back")]
    private static partial void LogOffline(ILogger logger, string name, string nodeId, string reason, int count);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Presence check failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
