namespace ReviewBot.Functions.Reminders;

/// <summary>Mergeability as the code host reports it; <see cref="Unknown"/> means "not computed yet" and is re-read, never guessed.</summary>
public enum Mergeability { Mergeable, Conflicting, Unknown }

/// <summary>The head commit's combined CI state (checks and statuses).</summary>
public enum CiState { None, Pending, Success, Failure }

/// <summary>A review's state, normalised (the webhook says "approved", the API "APPROVED").</summary>
public enum ReviewState { Approved, ChangesRequested, Commented, Dismissed, Pending }

public sealed record Review(string Author, ReviewState State, DateTimeOffset SubmittedAt);

/// <summary>A failing or pending check on the head commit, for naming it in the reminder.</summary>
public sealed record CheckInfo(string Name, CiState State, string? Url, DateTimeOffset? StartedAt);

/// <summary>
/// Everything the blocking analysis needs about one open pull/merge request, read from a code host
/// (<see cref="ICodeHostReader"/>). Logins are the code host's; mapping them to chat users is the reminder's job.
/// </summary>
/// <param name="RequestedReviewers">Users asked for a review and not yet reviewed since.</param>
/// <param name="RequestedTeams">Teams asked, as "org/team-slug"; expanded with <see cref="TeamMembers"/>.</param>
/// <param name="BehindBase">The head lacks base commits and branch protection requires it up to date.</param>
/// <param name="LastCommitAt">When the head commit was pushed (for "commits since the change request").</param>
/// <param name="LastActivityAt">Latest commit, review or comment (for staleness).</param>
public sealed record PullRequestSnapshot(
    string Host,
    string Repository,
    int Number,
    string Title,
    string Url,
    string Author,
    bool Draft,
    Mergeability Mergeability,
    CiState Ci,
    IReadOnlyList<CheckInfo> Checks,
    IReadOnlyList<Review> Reviews,
    IReadOnlyList<string> RequestedReviewers,
    IReadOnlyList<string> RequestedTeams,
    IReadOnlyDictionary<string, IReadOnlyList<string>> TeamMembers,
    bool BehindBase,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastCommitAt,
    DateTimeOffset LastActivityAt)
{
    /// <summary>
    /// Whether the host's own approval rule is met (GitHub <c>reviewDecision</c>: APPROVED → true, REVIEW_REQUIRED →
    /// false; GitLab <c>approvals_left == 0</c>), or null when the host has no such rule. False keeps an approved pull
    /// request from counting as ready to merge while more approvals are needed.
    /// </summary>
    public bool? ApprovalRequirementMet { get; init; }
}

/// <summary>Whose move it is on a pull request, and why.</summary>
public enum BlockReason
{
    /// <summary>A draft: nobody is reminded.</summary>
    Draft,
    MergeConflict,
    FailingCi,
    /// <summary>CI pending longer than the threshold: the configured CI owners.</summary>
    CiStuck,
    /// <summary>Changes requested and no commit since: the author.</summary>
    ChangesRequested,
    /// <summary>Changes requested and commits since: the reviewer who asked, to look again.</summary>
    ReReviewNeeded,
    ReviewRequested,
    /// <summary>Approved and green, not merged: the author or the configured mergers.</summary>
    ReadyToMerge,
    BehindBase,
    /// <summary>Mergeability not computed yet: read again later, nobody reminded now.</summary>
    Undetermined,
    /// <summary>Nothing blocks it (no reviewers asked, CI green, nothing requested).</summary>
    Nobody,
}

/// <summary>The analysis of one pull request: who blocks it (code-host logins), why, and since when.</summary>
/// <param name="Details">Extra facts for the message: failing check names, the reviewer who requested changes.</param>
public sealed record Blocking(
    PullRequestSnapshot PullRequest,
    BlockReason Reason,
    IReadOnlyList<string> BlockedOn,
    DateTimeOffset Since,
    IReadOnlyList<string> Details);

/// <summary>Reads open pull requests from one code host. A new host is one folder implementing this and one registration line.</summary>
public interface ICodeHostReader
{
    /// <summary>"github" or "gitlab".</summary>
    string Host { get; }

    /// <summary>Every open pull/merge request of <paramref name="repository"/> ("owner/name"; GitLab: the project path).</summary>
    Task<IReadOnlyList<PullRequestSnapshot>> ListOpenAsync(string repository, CancellationToken ct);
}
