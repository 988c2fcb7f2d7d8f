using ReviewBot.Core.Labels;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Trust;

/// <summary>What the code host says about one push to a pull request: who wrote it and where its commits live.</summary>
/// <param name="Host"><see cref="CodeHostNames.GitHub"/> or <see cref="CodeHostNames.GitLab"/>.</param>
/// <param name="AuthorTrusted">By <see cref="Roles"/>: a trusted association or access level.</param>
/// <param name="AuthorRole">The author's role in words ("a first-time contributor").</param>
/// <param name="Fork">The repository the head commit comes from when it is not the pull request's own (GitHub
/// <c>head.repo</c> ≠ <c>base.repo</c>, GitLab <c>source_project_id</c> ≠ <c>target_project_id</c>); null for a branch
/// of the repository itself, which only people with write access can push to.</param>
public sealed record PullRequestOrigin(
    string Host, string Repository, int Number, string HeadSha, string Author, bool AuthorTrusted, string AuthorRole, string? Fork);

/// <summary>A trusted person's approval of an untrusted pull request.</summary>
/// <param name="How">"/ok-to-test" or "label ok-to-test".</param>
public sealed record Approval(string By, DateTimeOffset At, string How);

/// <summary>The approvals stored for a pull request: of the head being decided on, and the first one ever given.</summary>
public sealed record Approvals(Approval? OfHead, Approval? First)
{
    public static Approvals None { get; } = new(null, null);
}

public enum TrustVerdict
{
    /// <summary>Runs like any trusted work: clone token, secrets, the linter's own routing.</summary>
    Trusted,

    /// <summary>Runs without credentials, routed by the policy's nodeLabels ANDed with the linter's.</summary>
    Untrusted,

    /// <summary>Stored as <see cref="TaskState.Waiting"/>: not routed until a trusted person approves; then untrusted.</summary>
    Wait,
}

/// <summary>The verdict on one push, with the reason people see (task history, check run summary).</summary>
/// <param name="NodeLabels">The policy's filter for untrusted work ("" = none).</param>
public sealed record TrustDecision(TrustVerdict Verdict, string Reason, string NodeLabels)
{
    /// <summary>The task as this decision wants it created: unchanged when trusted; otherwise marked untrusted (stored,
    /// so every later step, re-runs included, keeps it), routed by both filters, and waiting when approval is needed.</summary>
    public ReviewTask Apply(ReviewTask task) => Verdict switch
    {
        TrustVerdict.Trusted => task,
        _ => task with
        {
            Untrusted = true,
            NodeLabels = LabelFilter.AndText(task.NodeLabels, NodeLabels),
            PlacementReason = Reason,
            State = Verdict == TrustVerdict.Wait ? TaskState.Waiting : task.State,
        },
    };
}

/// <summary>
/// The trust decision for a push to a pull request (pure; <see cref="TrustGate"/> gathers its inputs). As Prow's trigger
/// plugin: the repository's own branches and trusted authors run; other authors' forks run only once a trusted person
/// approves. Unlike Prow, an approval lets the linters run but never hands them credentials.
/// </summary>
public static class TrustRules
{
    public static TrustDecision Decide(TrustPolicy policy, PullRequestOrigin pr, Approvals approvals)
    {
        if (pr.Fork is null)
            return new(TrustVerdict.Trusted, "trusted: a branch of the repository itself", "");
        if (pr.AuthorTrusted)
            return new(TrustVerdict.Trusted, $"trusted: author {pr.Author} is {pr.AuthorRole}", "");
        var who = $"author {pr.Author} is {pr.AuthorRole} from fork {pr.Fork}";
        switch (policy.Forks)
        {
            case ForkPolicy.Trusted:
                return new(TrustVerdict.Trusted, $"trusted by policy (trust.forks: trusted): {who}", "");
            case ForkPolicy.RunUntrusted:
                return new(TrustVerdict.Untrusted, $"untrusted (trust.forks: run-untrusted): {who}", policy.NodeLabels);
        }
        if (approvals.OfHead is { } mine)
            return new(TrustVerdict.Untrusted, $"untrusted, approved by {mine.By} ({mine.How}): {who}", policy.NodeLabels);
        if (approvals.First is { } first && policy.Untrusted == UntrustedPolicy.TrustAfterFirstApproval)
            return new(TrustVerdict.Untrusted,
                $"untrusted, approved earlier by {first.By} ({first.How}; trust.untrusted: trust-after-first-approval): {who}", policy.NodeLabels);
        return new(TrustVerdict.Wait, WaitReason(policy, pr, approvals.First), policy.NodeLabels);
    }

    /// <summary>"waiting for /ok-to-test from a member: author X is a first-time contributor from fork Y".</summary>
    private static string WaitReason(TrustPolicy policy, PullRequestOrigin pr, Approval? earlier)
    {
        var approver = pr.Host == CodeHostNames.GitLab ? "a member with Developer access or more" : "a member or collaborator";
        var label = pr.Host == CodeHostNames.GitHub && policy.Label is { } l ? $" (or the label `{l}` added by someone with write access)" : "";
        var head = $"waiting for `{policy.OkToTest}` from {approver}{label}";
        return earlier is null
            ? $"{head}: author {pr.Author} is {pr.AuthorRole} from fork {pr.Fork}"
            : $"{head}: new commits by {pr.Author} ({pr.AuthorRole}, fork {pr.Fork}) need approval again "
              + $"(trust.untrusted: approve-every-push; {earlier.By} approved an earlier push)";
    }
}
