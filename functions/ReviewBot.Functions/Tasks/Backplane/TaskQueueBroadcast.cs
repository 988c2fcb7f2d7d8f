using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using StackExchange.Redis;

namespace ReviewBot.Functions.Tasks.Backplane;

/// <summary>
/// Work created on one instance reaches agents connected to another. The agent registry and the dispatcher stay per
/// instance: only the instance holding an agent's connection assigns to it, and the ETag-checked Queued → Assigned
/// write lets exactly one instance win a task. This service only makes every instance <em>see</em> every queued task:
/// <list type="bullet">
/// <item>each task this instance writes is announced on the Redis channel <c>reviewbot:{prefix}:tasks</c> as
/// <c>instance|task id|state</c>;</item>
/// <item>an announced Queued task (another instance created or requeued it) is read from the table and enqueued here,
/// so this instance's agents compete for it; any other state makes this instance forget it; a Cancelled one held by a
/// local agent is taken back and the agent told to stop (<see cref="TaskLifecycle.StopCancelledAsync"/>);</item>
/// <item>a node that (re)registers here gets the tasks the table gives it under leases no instance holds any more
/// requeued (<see cref="TaskLifecycle.ReconcileStoredAsync"/>);</item>
/// <item>every <see cref="BackplaneOptions.QueueScanInterval"/> the queued tasks are read from the table as well,
/// since Redis pub/sub delivers at most once.</item>
/// </list>
/// Presence is shared through the node table's last pings (Agents/PresenceMonitor.cs).
/// </summary>
public sealed partial class TaskQueueBroadcast(
    IConfiguration configuration,
    TaskStore store,
    TaskQueue queue,
    TaskLifecycle lifecycle,
    IAgentPool pool,
    IOptions<BackplaneOptions> options,
    TimeProvider time,
    ILogger<TaskQueueBroadcast> log) : BackgroundService
{
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Channel<Func<CancellationToken, Task>> _inbox = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly RedisChannel _channel = RedisChannel.Literal(BackplaneRegistration.ChannelPrefix(configuration) + ":tasks");
    private ConnectionMultiplexer? _redis;

    /// <summary>Announcements received from other instances (tests, diagnostics).</summary>
    public long Received => Interlocked.Read(ref _received);
    private long _received;

    /// <summary>Raised with the task id after another instance's announcement about it was applied here.</summary>
    public event Action<string>? Applied;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var config = ConfigurationOptions.Parse(options.Value.Redis!);
        config.AbortOnConnectFail = false; // keep trying in the background; the table scan covers the gap
        _redis = await ConnectionMultiplexer.ConnectAsync(config);
        var subscriber = _redis.GetSubscriber();
        await subscriber.SubscribeAsync(_channel, (_, message) => OnMessage(message));
        store.Changed += Announce;
        pool.ConnectedNodeChanged += OnNodeChanged;
        try
        {
            await Task.WhenAll(ProcessAsync(stoppingToken), ScanLoopAsync(stoppingToken));
        }
        finally
        {
            store.Changed -= Announce;
            pool.ConnectedNodeChanged -= OnNodeChanged;
            await subscriber.UnsubscribeAsync(_channel);
            await _redis.CloseAsync();
            _redis.Dispose();
        }
    }

    private void Announce(ReviewTask task)
    {
        if (_redis is not { IsConnected: true } redis) return;
        _ = redis.GetSubscriber().PublishAsync(_channel, $"{_instance}|{task.Id}|{task.State}", CommandFlags.FireAndForget);
    }

    private void OnMessage(RedisValue message)
    {
        var parts = message.ToString().Split('|');
        if (parts.Length != 3 || parts[0] == _instance || !Enum.TryParse<TaskState>(parts[2], out var state)) return;
        Interlocked.Increment(ref _received);
        var taskId = parts[1];
        _inbox.Writer.TryWrite(async ct =>
        {
            await ApplyAsync(taskId, state, ct);
            Applied?.Invoke(taskId);
        });
    }

    /// <summary>A node (re)registered here (or changed while connected): its tasks the table gives it under a lease no
    /// instance holds any more are lost.</summary>
    private void OnNodeChanged(AgentRegistration registration) =>
        _inbox.Writer.TryWrite(ct => lifecycle.ReconcileStoredAsync(registration, ct));

    private async Task ProcessAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var work in _inbox.Reader.ReadAllAsync(ct))
            {
                try { await work(ct); }
                catch (Exception e) when (!ct.IsCancellationRequested) { LogFailed(log, e); }
            }
        }
        catch (OperationCanceledException) { } // stopping
    }

    private async Task ApplyAsync(string taskId, TaskState state, CancellationToken ct)
    {
        if (state != TaskState.Queued)
        {
            queue.Forget(taskId);
            if (state == TaskState.Cancelled) await lifecycle.StopCancelledAsync(taskId, ct);
            return;
        }
        if (await store.GetAsync(taskId, ct) is { State: TaskState.Queued } queued) queue.Enqueue(queued);
    }

    private async Task ScanLoopAsync(CancellationToken ct)
    {
        using var ticker = new PeriodicTimer(options.Value.QueueScanInterval, time);
        try
        {
            while (await ticker.WaitForNextTickAsync(ct))
            {
                try
                {
                    foreach (var t in await store.InStatesAsync([TaskState.Queued], ct))
                        queue.Enqueue(t);
                }
                catch (Exception e) when (!ct.IsCancellationRequested) { LogFailed(log, e); }
            }
        }
        catch (OperationCanceledException) { } // stopping
    }

    [LoggerMessage(EventId = 910, Level = LogLevel.Warning, Message = "Applying a task announcement from another instance failed; the queue scan catches up")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
