using Octokit.Webhooks.Events;
using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Functions.Trust;

/// <summary>
/// Decides, when a push to a pull request arrives, whether its tasks run trusted, run untrusted, or wait for approval
/// (<see cref="TrustRules"/>), with the repository's policy (<see cref="ReviewConfig.TrustFor"/>) and the approvals
/// stored for the pull request (<see cref="ApprovalStore"/>, read only when they can matter).
/// </summary>
public sealed class TrustGate(ReviewConfig config, ApprovalStore approvals, ILogger<TrustGate> log)
{
    public Task<TrustDecision> DecideAsync(PullRequestEvent e, CancellationToken ct) => DecideAsync(GitHubOrigin.Of(e), ct);

    public async Task<TrustDecision> DecideAsync(PullRequestOrigin pr, CancellationToken ct)
    {
        var policy = config.TrustFor(pr.Repository);
        var mayNeedApproval = pr.Fork is not null && !pr.AuthorTrusted && policy.Forks == ForkPolicy.RequireApproval;
        var stored = mayNeedApproval ? await approvals.GetAsync(pr.Host, pr.Repository, pr.Number, pr.HeadSha, ct) : Approvals.None;
        var decision = TrustRules.Decide(policy, pr, stored);
        if (decision.Verdict == TrustVerdict.Wait) TrustLog.Waits(log, pr.Host, pr.Repository, pr.Number, pr.HeadSha, decision.Reason);
        return decision;
    }
}
