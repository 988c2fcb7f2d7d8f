using System.Threading.Channels;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Stats;

/// <summary>
/// Feeds <see cref="RollupStore"/> from the lifecycle's transitions (<see cref="TaskLifecycle.Transitioned"/>): a task
/// that reached a terminal state from a non-terminal one (or was created ended) is recorded once, by the instance whose
/// write ended it (the lifecycle writes each transition once, ETag-checked, so no other instance raises it). Handed off
/// to a channel on the writer's thread and written in the background; the agent's capacity is read from this
/// instance's pool (1 when it does not know the agent). What piled up since the last write is written together, one
/// read-modify-write per hour touched (<see cref="RollupStore.RecordAsync(IReadOnlyList{ValueTuple{ReviewTask, int}}, CancellationToken)"/>),
/// so the storage cost does not grow with the rate of endings. An instance that stops between ending a task and recording it
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

    /// <summary>At most this many endings are written in one go (one read-modify-write per hour they touch).</summary>
    internal const int MaxBatch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ReviewTask>();
        while (await _ended.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _ended.Reader.TryRead(out var task)) batch.Add(task);
            try
            {
                // One snapshot of the agents per batch, not per task.
                var capacities = batch.Any(t => t.NodeId is not null)
                    ? _pool.Candidates().GroupBy(c => c.NodeId).ToDictionary(g => g.Key, g => g.First().Capacity, StringComparer.Ordinal)
                    : [];
                await _store.RecordAsync([.. batch.Select(t => (t, t.NodeId is { } node ? capacities.GetValueOrDefault(node, 1) : 1))], stoppingToken);
                foreach (var task in batch) Recorded?.Invoke(task);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRecordFailed(_log, e, batch.Count, batch[0].Id);
            }
        }
    }

    public override void Dispose()
    {
        _lifecycle.Transitioned -= OnTransitioned;
        base.Dispose();
    }

    [LoggerMessage(EventId = 1960, Level = LogLevel.Warning, Message = "Recording {Count} ended task(s) (the first {TaskId}) in the hourly rollups failed")]
    private static partial void LogRecordFailed(ILogger logger, Exception e, int count, string taskId);
}
