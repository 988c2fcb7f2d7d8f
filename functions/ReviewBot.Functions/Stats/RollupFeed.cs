using System.Threading.Channels;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Stats;

/// <summary>
/// Feeds <see cref="RollupStore"/> from the lifecycle's transitions (<see cref="TaskLifecycle.Transitioned"/>): a task
/// that reached a terminal state from a non-terminal one (or was created ended) is recorded once, by the instance whose
/// write ended it (the lifecycle writes each transition once, ETag-checked, so no other instance raises it). Handed off
/// to a channel on the writer's thread and written in the background; the agent's capacity is read from this
/// instance's pool (1 when it does not know the agent). An instance that stops between ending a task and recording it
/// loses that one count: the rollups are for pictures, not accounting.
/// </summary>
public sealed partial class RollupFeed : BackgroundService
{
    private readonly TaskLifecycle _lifecycle;
    private readonly RollupStore _store;
    private readonly IAgentPool _pool;
    private readonly ILogger<RollupFeed> _log;
    private readonly Channel<ReviewTask> _ended = Channel.CreateUnbounded<ReviewTask>(new() { SingleReader = true });

    public RollupFeed(TaskLifecycle lifecycle, RollupStore store, IAgentPool pool, ILogger<RollupFeed> log)
    {
        _lifecycle = lifecycle;
        _store = store;
        _pool = pool;
        _log = log;
        _lifecycle.Transitioned += OnTransitioned;
    }

    /// <summary>Raised after an ended task was recorded (tests).</summary>
    public event Action<ReviewTask>? Recorded;

    private void OnTransitioned(TaskState? from, ReviewTask task)
    {
        if (TaskStates.Ended(from, task.State)) _ended.Writer.TryWrite(task);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var task in _ended.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var capacity = task.NodeId is { } node ? _pool.Candidates().FirstOrDefault(c => c.NodeId == node)?.Capacity ?? 1 : 1;
                await _store.RecordAsync(task, capacity, stoppingToken);
                Recorded?.Invoke(task);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRecordFailed(_log, e, task.Id);
            }
        }
    }

    public override void Dispose()
    {
        _lifecycle.Transitioned -= OnTransitioned;
        base.Dispose();
    }

    [LoggerMessage(EventId = 1960, Level = LogLevel.Warning, Message = "Recording ended task {TaskId} in the hourly rollups failed")]
    private static partial void LogRecordFailed(ILogger logger, Exception e, string taskId);
}
