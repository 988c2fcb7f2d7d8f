using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Trust;

/// <summary>What an approval (a trusted person's <c>/ok-to-test</c>, the approval label) did, for the webhook's answer.</summary>
/// <param name="Approved">False when it was ignored; <paramref name="Message"/> says why.</param>
public sealed record ApprovalOutcome(bool Approved, string Message, IReadOnlyList<string> TaskIds)
{
    public static ApprovalOutcome Ignored(string why) => new(false, why, []);
}

/// <summary>
/// Applies a trusted person's approval to a pull request: stored first (<see cref="ApprovalStore"/>: the pull request's
/// first approval and the approval of each head waiting now), then the waiting tasks are queued. Both steps are
/// idempotent, so a redelivery after a crash in between finishes the job. The tasks stay untrusted.
/// </summary>
public sealed class Approver(TaskStore store, TaskCoordinator tasks, ApprovalStore approvals, TimeProvider time, ILogger<Approver> log)
{
    public async Task<ApprovalOutcome> ApproveAsync(string host, string repository, int number, string by, string how, CancellationToken ct)
    {
        var waiting = (await store.ListAsync(new TaskQuery(Repository: repository, State: TaskState.Waiting, Top: int.MaxValue), ct))
            .Where(t => t.Host == host && t.PullRequest == number).ToList();
        await approvals.RecordAsync(host, repository, number, new Approval(by, time.GetUtcNow(), how), waiting.Select(t => t.HeadSha), ct);
        var released = await tasks.ReleaseWaitingAsync(host, repository, number, $"approved by {by} ({how})", ct);
        TrustLog.Approved(log, host, repository, number, by, how, released.Count);
        var where = host == CodeHostNames.GitLab ? $"{repository}!{number}" : $"{repository}#{number}";
        return new ApprovalOutcome(true, released.Count > 0
            ? $"{by} approved {where} ({how}): {released.Count} task(s) queued, untrusted"
            : $"{by} approved {where} ({how}); nothing was waiting for approval", [.. released.Select(t => t.Id)]);
    }
}
