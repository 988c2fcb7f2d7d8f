using Azure;
using ReviewBot.Core.Placement;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>One task that cannot be placed must not stop the others (security review D2: one oversized task wedged
/// routing for good). A failure is confined to its task: a task too large to store ends as errored, with a row cut to
/// fit; anything else (a storage outage) leaves it queued for the next pass, and the pass goes on.</summary>
public sealed partial class TaskDispatcher
{
    private async Task PlaceOneAsync(Pending p, List<AgentCandidate> candidates, CancellationToken ct)
    {
        try
        {
            await PlaceAsync(p, candidates, ct);
        }
        catch (Exception e) when (IsTooLarge(e) && !ct.IsCancellationRequested)
        {
            _pending.TryRemove(p.Task.Id, out _);
            var now = time.GetUtcNow();
            var why = $"the task is too large to store and cannot run: {e.Message}";
            await store.UpdateAsync(p.Task.Id, t => t.State.IsTerminal() ? null :
                t.To(TaskState.Errored, why, now) with { Error = why, LeaseToken = null, CompletedAt = now }, ct);
            LogTooLarge(log, p.Task.Id, e.Message);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogPlacementFailed(log, p.Task.Id, e);
        }
    }

    /// <summary>Ours, or Table Storage's own refusal of a row (a value or an entity over its limits).</summary>
    private static bool IsTooLarge(Exception e) =>
        e is TaskRowTooLargeException || e is RequestFailedException { Status: 400, ErrorCode: "PropertyValueTooLarge" or "EntityTooLarge" or "RequestBodyTooLarge" };

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Task {TaskId} failed: too large to store ({Reason})")]
    private static partial void LogTooLarge(ILogger logger, string taskId, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Placing task {TaskId} failed; it stays queued for the next pass")]
    private static partial void LogPlacementFailed(ILogger logger, string taskId, Exception e);
}
