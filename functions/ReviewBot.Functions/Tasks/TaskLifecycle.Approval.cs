using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

// Approval of an untrusted pull request (Trust/Approver.cs): its waiting tasks join the queue.
public sealed partial class TaskLifecycle
{
    /// <summary>Moves the pull request's <see cref="TaskState.Waiting"/> tasks to Queued (one approval releases a task
    /// once, however many arrive together). They stay untrusted. Returns the tasks released; none when nothing waited.</summary>
    public async Task<IReadOnlyList<ReviewTask>> ReleaseWaitingAsync(string host, string repository, int pullRequest, string note, CancellationToken ct)
    {
        var active = await store.ActiveOfChangeAsync(host, repository, pullRequest, ct);
        var released = new List<ReviewTask>();
        foreach (var task in active.Where(t => t.State == TaskState.Waiting))
        {
            var now = time.GetUtcNow();
            if (await TransitionAsync(task.Id, t => TaskTransitions.Approve(t, note, now), ct, known: task) is { } queued) released.Add(queued);
        }
        return released;
    }
}
