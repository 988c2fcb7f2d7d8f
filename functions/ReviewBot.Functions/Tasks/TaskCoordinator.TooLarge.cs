using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

public sealed partial class TaskCoordinator
{
    /// <summary><see cref="TaskStore.UpdateAsync"/>, except that a task whose row cannot take the change (stored near
    /// the limit by an older version) ends as errored instead of throwing: a lost agent's other tasks must still be
    /// requeued, and the task could not run anyway.</summary>
    private async Task<ReviewTask?> UpdateOrFailAsync(string taskId, Func<ReviewTask, ReviewTask?> change, CancellationToken ct)
    {
        try
        {
            return await store.UpdateAsync(taskId, change, ct);
        }
        catch (TaskRowTooLargeException e)
        {
            var now = time.GetUtcNow();
            return await store.UpdateAsync(taskId, t => t.State.IsTerminal() ? null :
                t.To(TaskState.Errored, e.Message, now) with { Error = e.Message, LeaseToken = null, CompletedAt = now }, ct);
        }
    }
}
