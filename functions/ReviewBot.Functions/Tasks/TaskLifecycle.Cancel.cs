using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

// Cancellation: by a user, a newer push, a job's replace policy, or (announced by the backplane) another instance.
public sealed partial class TaskLifecycle
{
    /// <summary>Cancels a task that has not ended: a queued one leaves the queue, a held one is taken from its agent,
    /// which is told to stop (it kills the linter's process tree). False when the task had already ended.</summary>
    public async Task<bool> CancelAsync(string taskId, string reason, CancellationToken ct)
    {
        var known = await store.GetAsync(taskId, ct);
        if (known is null || known.State.IsTerminal()) return false;
        var now = time.GetUtcNow();
        if (await TransitionFromAsync(taskId, t => TaskTransitions.Cancel(t, reason, now), ct, known) is not { } cancelled) return false;
        await StopHeldHereAsync(cancelled.Before, reason, ct);
        return true;
    }

    /// <summary>Another instance cancelled the task: if an agent connected here holds it, its slot is freed and it is
    /// told to stop (the one place a cancellation reaches an agent, whichever instance wrote it).</summary>
    public async Task StopCancelledAsync(string taskId, CancellationToken ct)
    {
        if (await store.GetAsync(taskId, ct) is { State: TaskState.Cancelled } task) await StopHeldHereAsync(task, task.Error ?? "cancelled", ct);
    }

    private async Task StopHeldHereAsync(ReviewTask held, string reason, CancellationToken ct)
    {
        if (held is not { NodeId: { } nodeId, LeaseToken: { } lease } || pool.HeldLease(nodeId, held.Id) != lease) return;
        pool.Release(nodeId, held.Id, lease);
        if (pool.ConnectionOf(nodeId) is { } connection)
            await TellToStopAsync(connection, new TaskCancellation(held.Id, lease, reason), ct);
    }

    /// <summary>A new push to a pull or merge request makes the tasks of its older revisions pointless: they are
    /// cancelled (<see cref="TaskTransitions.IsSupersededBy"/>: same host, never those of a later revision).</summary>
    public async Task<int> SupersedeAsync(string repository, int pullRequest, string headSha, DateTimeOffset? updatedAt, CancellationToken ct, string host = CodeHostNames.GitHub)
    {
        var active = await store.ActiveOfChangeAsync(host, repository, pullRequest, ct);
        var count = 0;
        foreach (var old in active.Where(t => t.IsSupersededBy(host, pullRequest, headSha, updatedAt)))
            if (await CancelAsync(old.Id, TaskTransitions.SupersededReason(headSha), ct)) count++;
        return count;
    }
}
