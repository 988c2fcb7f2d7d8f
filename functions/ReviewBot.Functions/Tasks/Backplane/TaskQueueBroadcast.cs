using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
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
/// local agent is taken back and the agent told to stop;</item>
/// <item>every <see cref="BackplaneOptions.QueueScanInterval"/> the queued tasks are read from the table as well,
/// since Redis pub/sub delivers at most once.</item>
/// </list>
/// Presence is shared through the node table's last pings (<see cref="PresenceMonitor.SweepAsync"/>).
/// </summary>
public sealed partial class TaskQueueBroadcast(
    IServiceProvider services,
    TaskStore store,
    TaskDispatcher dispatcher,
    AgentRegistry registry,
    IOptions<BackplaneOptions> options,
    TimeProvider time,
    ILogger<TaskQueueBroadcast> log) : BackgroundService
{
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Channel<Func<CancellationToken, Task>> _inbox = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly RedisChannel _channel = RedisChannel.Literal(BackplaneRegistration.ChannelPrefix(services) + ":tasks");
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
        registry.NodeChanged += OnNodeChanged;
        try
        {
            await Task.WhenAll(ProcessAsync(stoppingToken), ScanLoopAsync(stoppingToken));
        }
        finally
        {
            store.Changed -= Announce;
            registry.NodeChanged -= OnNodeChanged;
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

    /// <summary>A node (re)registered here: tasks the table gives it under a lease held by no instance any more (it was
    /// connected to an instance that died) and that it did not report as running are lost; they go back to the queue.</summary>
    private void OnNodeChanged(AgentPresence node)
    {
        Contracts.Agents.AgentRegistration? registration;
        lock (node.Gate) registration = node.ConnectionId is not null ? node.Registration : null;
        if (registration is not null) _inbox.Writer.TryWrite(ct => ReconcileElsewhereAsync(registration, ct));
    }

    private async Task ReconcileElsewhereAsync(Contracts.Agents.AgentRegistration r, CancellationToken ct)
    {
        var node = registry.Get(r.NodeId);
        if (node is null) return;
        var held = await store.ListAsync(new TaskQuery(NodeId: r.NodeId, States: [TaskState.Assigned, TaskState.Running], Top: int.MaxValue), ct);
        var lost = held.Where(t => t.LeaseToken is { } lease
                                   && !r.RunningTasks.Any(x => x.TaskId == t.Id && x.LeaseToken == lease)
                                   && registry.HeldLease(node, t.Id) is null)
                       .Select(t => new KeyValuePair<string, string>(t.Id, t.LeaseToken!)).ToList();
        if (lost.Count > 0)
            await services.GetRequiredService<TaskCoordinator>().RequeueLostAsync(r.NodeId, lost, $"{r.Name} came back without the task", ct);
    }

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
            dispatcher.Forget(taskId);
            if (state == TaskState.Cancelled) await StopLocalAsync(taskId, ct);
            return;
        }
        if (await store.GetAsync(taskId, ct) is { State: TaskState.Queued } queued) dispatcher.Enqueue(queued);
    }

    /// <summary>Another instance cancelled a task; if an agent connected here holds it, free the slot and tell the agent.</summary>
    private async Task StopLocalAsync(string taskId, CancellationToken ct)
    {
        if (await store.GetAsync(taskId, ct) is not { NodeId: { } nodeId, LeaseToken: { } lease } task) return;
        if (registry.Get(nodeId) is not { } node || registry.HeldLease(node, taskId) != lease) return;
        registry.Release(nodeId, taskId, lease);
        if (node.ConnectionId is { } connection)
            await dispatcher.TryCancelAsync(connection, new ReviewBot.Contracts.Agents.TaskCancellation(taskId, lease, task.Error ?? "cancelled"), ct);
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
                    foreach (var t in await store.ListAsync(new TaskQuery(State: TaskState.Queued, Top: int.MaxValue), ct))
                        dispatcher.Enqueue(t);
                }
                catch (Exception e) when (!ct.IsCancellationRequested) { LogFailed(log, e); }
            }
        }
        catch (OperationCanceledException) { } // stopping
    }

    [LoggerMessage(EventId = 910, Level = LogLevel.Warning, Message = "Applying a task announcement from another instance failed; the queue scan catches up")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
