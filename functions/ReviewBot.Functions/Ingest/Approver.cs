using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.Ingest;

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
public sealed class Approver(TaskStore store, TaskLifecycle tasks, ApprovalStore approvals, TimeProvider time, ILogger<Approver> log)
{
    /// <param name="name">How the host writes the pull request in prose (<see cref="ChangeRequest.Name"/>).</param>
    public async Task<ApprovalOutcome> ApproveAsync(string host, string repository, int number, string name, string by, string how, CancellationToken ct)
    {
        var waiting = (await store.ActiveOfChangeAsync(host, repository, number, ct)).Where(t => t.State == TaskState.Waiting).ToList();
        await approvals.RecordAsync(host, repository, number, new Approval(by, time.GetUtcNow(), how), waiting.Select(t => t.HeadSha), ct);
        var released = await tasks.ReleaseWaitingAsync(host, repository, number, $"approved by {by} ({how})", ct);
        TrustLog.Approved(log, host, repository, number, by, how, released.Count);
        return new ApprovalOutcome(true, released.Count > 0
            ? $"{by} approved {name} ({how}): {released.Count} task(s) queued, untrusted"
            : $"{by} approved {name} ({how}); nothing was waiting for approval", [.. released.Select(t => t.Id)]);
    }
}
