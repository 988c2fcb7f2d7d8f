using Microsoft.Extensions.Options;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// Declares nodes offline (missed heartbeats, or disconnected past the grace) and gives their tasks back to the
/// queue; writes last-ping times to Table Storage in batches every <see cref="AgentsOptions.LastPingFlushInterval"/>,
/// the batches spread over the interval so that a thousand nodes' pings never hold up task writes in one burst.
/// Under the Functions host these loops stay off and the <c>presence-sweep</c> timer function runs
/// <see cref="RunTimerAsync"/> instead (registered in <see cref="AgentsRegistration"/>).
/// </summary>
public sealed partial class PresenceMonitor(
    AgentRegistry registry,
    TaskLifecycle tasks,
    NodeStore nodes,
    IOptions<AgentsOptions> options,
    TimeProvider time,
    ILogger<PresenceMonitor> log) : BackgroundService
{
    /// <summary>Raised after every presence check with what it did, whoever ran it (the loop, the timer function, a
    /// caller of <see cref="SweepAsync"/>); handlers run on the sweeping thread and must be quick.</summary>
    public event Action<SweepResult>? Swept;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchPresenceAsync(stoppingToken), FlushLoopAsync(stoppingToken));

    private async Task WatchPresenceAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var check = TimeSpan.FromTicks(Math.Clamp(Math.Min(o.HeartbeatInterval.Ticks, o.DisconnectGrace.Ticks) / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(2).Ticks));
        using var timer = new PeriodicTimer(check, time);
        while (await Tick(timer, stoppingToken))
        {
            try { await SweepAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage may be away; the in-memory registry stays valid and the next tick tries again.
                LogFailed(log, e);
            }
        }
    }

    /// <summary>One presence check: nodes that missed their heartbeats or did not come back within the grace are offline
    /// and their tasks go back to the queue, unless the node table shows a newer ping or registration than this
    /// instance saw (<see cref="NodeStore.GetLastSeenAsync"/>): the node then lives on another instance (it reconnected
    /// there), which holds its tasks.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken ct)
    {
        int offline = 0, requeued = 0, elsewhere = 0;
        foreach (var (node, lost, reason) in registry.CollectLost())
        {
            if (lost.Count > 0 && await AliveElsewhereAsync(node, ct))
            {
                LogElsewhere(log, node.Name, node.NodeId, lost.Count);
                elsewhere++;
                continue;
            }
            LogOffline(log, node.Name, node.NodeId, reason, lost.Count);
            offline++;
            requeued += lost.Count;
            await tasks.RequeueLostAsync(node.NodeId, lost, reason, ct);
        }
        var result = new SweepResult(offline, requeued, elsewhere);
        Swept?.Invoke(result);
        return result;
    }

    /// <summary>The Functions host's timer (<c>presence-sweep</c>): writes the pending last pings, then sweeps.</summary>
    public async Task RunTimerAsync(Hosting.Functions.TimerInvocation invocation, CancellationToken ct)
    {
        var pings = await FlushPingsAsync(ct);
        var r = await SweepAsync(ct);
        invocation.Log($"presence: {pings} last ping(s) written, {r.Offline} node(s) offline, {r.Requeued} task(s) requeued, {r.Elsewhere} node(s) live on another instance");
    }

    private async Task<bool> AliveElsewhereAsync(AgentPresence node, CancellationToken ct)
    {
        DateTimeOffset seenHere;
        lock (node.Gate) seenHere = node.LastPing;
        try
        {
            var stored = await nodes.GetLastSeenAsync(node.NodeId, ct);
            return stored is { } at && at > seenHere && time.GetUtcNow() - at < options.Value.OfflineAfter;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(log, e);
            return false; // cannot tell: take the tasks back, as a single instance would
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
    public async Task<int> FlushPingsAsync(CancellationToken ct, TimeSpan spreadOver = default)
    {
        var pings = registry.TakeUnsavedPings();
        var chunks = pings.Chunk(NodeStore.MaxBatch).ToList();
        var pause = chunks.Count > 1 ? spreadOver / chunks.Count : TimeSpan.Zero;
        for (var i = 0; i < chunks.Count; i++)
        {
            if (i > 0 && pause > TimeSpan.Zero) await Task.Delay(pause, time, ct);
            await nodes.WriteLastPingsAsync(chunks[i], ct);
        }
        return pings.Count;
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Agent {Name} ({NodeId}) is offline: {Reason}; {Count} task(s) taken back")]
    private static partial void LogOffline(ILogger logger, string name, string nodeId, string reason, int count);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Agent {Name} ({NodeId}) left this instance but pings another one; its {Count} task(s) stay with it")]
    private static partial void LogElsewhere(ILogger logger, string name, string nodeId, int count);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Presence check failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception e);
}

/// <summary>What one presence sweep did.</summary>
public sealed record SweepResult(int Offline, int Requeued, int Elsewhere);
