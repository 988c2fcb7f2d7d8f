namespace ReviewBot.Functions.Trust;

/// <summary>
/// Decides, when a push to a pull request arrives, whether its tasks run trusted, run untrusted, or wait for approval
/// (<see cref="TrustRules"/>), with the repository's policy and the approvals stored for the pull request
/// (<see cref="ApprovalStore"/>, read only when they can matter). Takes plain facts: each code host reads them from its
/// own payloads (CodeHosts/*/Trust).
/// </summary>
public sealed class TrustGate(ApprovalStore approvals, ILogger<TrustGate> log)
{
    public async Task<TrustDecision> DecideAsync(TrustPolicy policy, PullRequestOrigin pr, CancellationToken ct)
    {
        var mayNeedApproval = pr.Fork is not null && !pr.AuthorTrusted && policy.Forks == ForkPolicy.RequireApproval;
        var stored = mayNeedApproval ? await approvals.GetAsync(pr.Host, pr.Repository, pr.Number, pr.HeadSha, ct) : Approvals.None;
        var decision = TrustRules.Decide(policy, pr, stored);
        if (decision.Verdict == TrustVerdict.Wait) TrustLog.Waits(log, pr.Host, pr.Repository, pr.Number, pr.HeadSha, decision.Reason);
        return decision;
    }
}
