using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

// Approval of an untrusted pull request (Trust/OkToTestIngest.cs): its waiting tasks join the queue.
public sealed partial class TaskCoordinator
{
    /// <summary>Moves the pull request's <see cref="TaskState.Waiting"/> tasks to Queued (ETag-checked: one approval
    /// releases a task once, however many arrive together) and hands them to the dispatcher. They stay untrusted.
    /// Returns the tasks released; none when nothing was waiting.</summary>
    public async Task<IReadOnlyList<ReviewTask>> ReleaseWaitingAsync(string host, string repository, int pullRequest, string note, CancellationToken ct)
    {
        var waiting = await store.ListAsync(new TaskQuery(Repository: repository, State: TaskState.Waiting, Top: int.MaxValue), ct);
        var released = new List<ReviewTask>();
        foreach (var task in waiting.Where(t => t.Host == host && t.PullRequest == pullRequest))
        {
            var now = time.GetUtcNow();
            var queued = await store.UpdateAsync(task.Id, t => t.State != TaskState.Waiting ? null :
                t.To(TaskState.Queued, note, now) with { QueuedAt = now, PlacementReason = null }, ct, known: task);
            if (queued is null) continue;
            dispatcher.Enqueue(queued);
            released.Add(queued);
        }
        return released;
    }
}
