using Microsoft.Extensions.Options;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Stats;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Retention;

/// <summary>What one batch did: the kind, the position it started after and the one it saved (null: the pass ended).</summary>
public sealed record RetentionBatch(string Kind, string? After, string? Next, int Deleted);

/// <summary>What one run deleted; <see cref="Ran"/> is false when another instance held the run.</summary>
public sealed record RetentionReport(bool Ran, int Tasks, int Deliveries, int Nodes, int Responses, int Rollups = 0, int ConfigChecks = 0)
{
    public static readonly RetentionReport Skipped = new(false, 0, 0, 0, 0);
}

/// <summary>
/// Deletes what has outlived <see cref="RetentionOptions"/>, run by the timer <c>retention</c>: finished tasks created
/// before now − TaskAge with their log blobs, results blob and index rows; deliveries' dedupe rows received before now −
/// DeliveryAge; reminder responses not written since now − TaskAge; nodes last seen before now − TaskAge
/// (<see cref="AgentPruning"/>); hourly rollups of UTC days before now − RollupAge (<see cref="RollupStore"/>); claims of
/// failed reviewbot/config checks made before now − TaskAge (<see cref="ConfigCheckStore"/>). Never a task in Waiting, Queued,
/// Assigned or Running, nor a finished one whose report is still pending, whatever its age.
/// Work goes in batches of BatchSize rows; after each batch the position is saved in the state row
/// (<see cref="RetentionStateStore"/>), ETag-checked, which also renews the run's lease. A run stopped mid-way (cancelled,
/// crashed, its lease lost) leaves the position of its last batch, and the next run continues from it with the same
/// cutoff; a pass that ended starts the next one at a fresh cutoff. Deleting is idempotent, so a batch redone after a
/// crash deletes nothing twice.
/// </summary>
public sealed partial class RetentionService(
    RetentionStateStore state,
    ITaskRetention tasks,
    LogStore logs,
    DeliveryStore deliveries,
    ResponseStore responses,
    AgentPruning nodes,
    RollupStore rollups,
    ConfigCheckStore configChecks,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionService> log)
{
    private readonly string _holder = Environment.MachineName + ":" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Raised after every batch saved (tests, logs).</summary>
    public event Action<RetentionBatch>? BatchSaved;

    public async Task<RetentionReport> RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        var run = await state.TryBeginAsync(_holder, o.LeaseDuration, ct);
        if (run is null)
        {
            LogHeldElsewhere(log);
            return RetentionReport.Skipped;
        }

        try
        {
            var now = time.GetUtcNow();
            var taskCount = await PassAsync(run, RetentionKinds.Tasks, now - o.TaskAge, DeleteTasksAsync, ct);
            var deliveryCount = await ExpireDeliveriesAsync(run, now - o.DeliveryAge, ct);
            if (!run.Done(RetentionKinds.LegacyDeliveries))
                deliveryCount += await PassAsync(run, RetentionKinds.LegacyDeliveries, now - o.DeliveryAge,
                    (cutoff, after, c) => deliveries.IndexLegacyAsync(cutoff, after, o.BatchSize, c), ct, oneTime: true);
            var responseCount = await ExpireResponsesAsync(run, now - o.TaskAge, ct);
            var pruned = await nodes.PruneAsync(now - o.TaskAge, o.BatchSize, ct);
            if (!await run.SaveAsync(RetentionKinds.Nodes, null, null, false, ct)) throw new RetentionLeaseLost();
            BatchSaved?.Invoke(new RetentionBatch(RetentionKinds.Nodes, null, null, pruned.Count));
            var rollupCount = await ExpireRollupsAsync(run, now - o.RollupAge, ct);
            var checkCount = await ExpireConfigChecksAsync(run, now - o.TaskAge, ct);
            LogRan(log, taskCount, deliveryCount, responseCount, pruned.Count, rollupCount);
            return new RetentionReport(true, taskCount, deliveryCount, pruned.Count, responseCount, rollupCount, checkCount);
        }
        catch (RetentionLeaseLost)
        {
            LogLeaseLost(log);
            return RetentionReport.Skipped;
        }
        finally
        {
            await run.EndAsync(CancellationToken.None);
        }
    }

    /// <summary>Batches of one kind's pass until it ends or the run's budget is spent; the pass in progress keeps its cutoff.</summary>
    private async Task<int> PassAsync(RetentionRun run, string kind, DateTimeOffset freshCutoff,
        Func<DateTimeOffset, string?, CancellationToken, Task<(int Deleted, string? Next)>> batch, CancellationToken ct, bool oneTime = false)
    {
        var after = run.After(kind);
        var cutoff = after is not null && run.Cutoff(kind) is { } saved ? saved : freshCutoff;
        var total = 0;
        for (var i = 0; i < options.Value.MaxBatchesPerRun; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (deleted, next) = await batch(cutoff, after, ct);
            total += deleted;
            if (!await run.SaveAsync(kind, next is null ? null : cutoff, next, oneTime && next is null, ct)) throw new RetentionLeaseLost();
            BatchSaved?.Invoke(new RetentionBatch(kind, after, next, deleted));
            if (next is null) break;
            after = next;
        }

        return total;
    }

    private async Task<(int Deleted, string? Next)> DeleteTasksAsync(DateTimeOffset cutoff, string? after, CancellationToken ct)
    {
        var page = await tasks.ListCreatedBeforeAsync(cutoff, after, options.Value.BatchSize, ct);
        var deleted = 0;
        foreach (var task in page.Tasks)
        {
            if (!IsFinished(task)) continue;
            // The blobs first: a crash before the row is deleted leaves a row the next pass finds again, whereas blobs
            // left behind a deleted row could never be found without listing the containers.
            await logs.DeleteAsync(task.Id, ct);
            await tasks.DeleteResultAsync(task.Id, ct);
            if (await tasks.DeleteAsync(task, ct)) deleted++;
        }

        return (deleted, page.Next);
    }

    /// <summary>Ended, and its report (if any) done: nothing will write to it again.</summary>
    public static bool IsFinished(ReviewTask task) => task.State.IsTerminal() && task.Reporting.Done;

    private async Task<int> ExpireDeliveriesAsync(RetentionRun run, DateTimeOffset cutoff, CancellationToken ct)
    {
        var total = 0;
        for (var i = 0; i < options.Value.MaxBatchesPerRun; i++)
        {
            ct.ThrowIfCancellationRequested();
            var deleted = await deliveries.ExpireAsync(cutoff, options.Value.BatchSize, ct);
            total += deleted;
            if (!await run.SaveAsync(RetentionKinds.Deliveries, null, null, false, ct)) throw new RetentionLeaseLost();
            BatchSaved?.Invoke(new RetentionBatch(RetentionKinds.Deliveries, null, null, deleted));
            if (deleted < options.Value.BatchSize) break;
        }

        return total;
    }

    private async Task<int> ExpireResponsesAsync(RetentionRun run, DateTimeOffset cutoff, CancellationToken ct)
    {
        var total = 0;
        for (var i = 0; i < options.Value.MaxBatchesPerRun; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (deleted, more) = await responses.ExpireAsync(cutoff, options.Value.BatchSize, ct);
            total += deleted;
            if (!await run.SaveAsync(RetentionKinds.Responses, null, null, false, ct)) throw new RetentionLeaseLost();
            BatchSaved?.Invoke(new RetentionBatch(RetentionKinds.Responses, null, null, deleted));
            if (!more) break;
        }

        return total;
    }

    /// <summary>Whole days of rollups before the cutoff's day, a batch at a time: what is deleted leaves the range, so
    /// no position needs saving.</summary>
    private async Task<int> ExpireRollupsAsync(RetentionRun run, DateTimeOffset cutoff, CancellationToken ct)
    {
        var total = 0;
        for (var i = 0; i < options.Value.MaxBatchesPerRun; i++)
        {
            ct.ThrowIfCancellationRequested();
            var deleted = await rollups.DeleteDaysBeforeAsync(cutoff, options.Value.BatchSize, ct);
            total += deleted;
            if (!await run.SaveAsync(RetentionKinds.Rollups, null, null, false, ct)) throw new RetentionLeaseLost();
            BatchSaved?.Invoke(new RetentionBatch(RetentionKinds.Rollups, null, null, deleted));
            if (deleted < options.Value.BatchSize) break;
        }

        return total;
    }

    /// <summary>Claims of failed config checks made before the cutoff, a batch at a time, read as one key range of expiry
    /// rows (<see cref="ConfigCheckStore.ExpireAsync"/>): what is deleted leaves the range, so no position needs saving.</summary>
    private async Task<int> ExpireConfigChecksAsync(RetentionRun run, DateTimeOffset cutoff, CancellationToken ct)
    {
        var total = 0;
        for (var i = 0; i < options.Value.MaxBatchesPerRun; i++)
        {
            ct.ThrowIfCancellationRequested();
            var deleted = await configChecks.ExpireAsync(cutoff, options.Value.BatchSize, ct);
            total += deleted;
            if (!await run.SaveAsync(RetentionKinds.ConfigChecks, null, null, false, ct)) throw new RetentionLeaseLost();
            BatchSaved?.Invoke(new RetentionBatch(RetentionKinds.ConfigChecks, null, null, deleted));
            if (deleted < options.Value.BatchSize) break;
        }

        return total;
    }

    private sealed class RetentionLeaseLost : Exception;

    [LoggerMessage(EventId = 1550, Level = LogLevel.Information, Message = "Retention deleted {Tasks} tasks, {Deliveries} delivery rows, {Responses} reminder responses, {Nodes} nodes and {Rollups} hourly rollups")]
    private static partial void LogRan(ILogger logger, int tasks, int deliveries, int responses, int nodes, int rollups);

    [LoggerMessage(EventId = 1551, Level = LogLevel.Debug, Message = "Retention is running on another instance; skipped")]
    private static partial void LogHeldElsewhere(ILogger logger);

    [LoggerMessage(EventId = 1552, Level = LogLevel.Warning, Message = "Retention's run was taken over by another instance; stopped")]
    private static partial void LogLeaseLost(ILogger logger);
}
