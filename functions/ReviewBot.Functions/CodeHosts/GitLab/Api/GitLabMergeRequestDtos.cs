namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

// Shapes of the merge request listings the reminders read (https://docs.gitlab.com/api/merge_requests/,
// https://docs.gitlab.com/api/merge_request_approvals/); only the fields used are declared.

public sealed record GitLabUser(long Id, string Username);

/// <summary>A merge request as <c>GET /projects/:id/merge_requests</c> and <c>…/merge_requests/:iid</c> return it;
/// <see cref="HeadPipeline"/> only in the single-MR answer.</summary>
public sealed record GitLabMergeRequestDetails(
    long Iid, long ProjectId, string? Title, string? WebUrl, string? State, GitLabUser? Author, bool Draft, bool WorkInProgress,
    DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt, string? DetailedMergeStatus, string? MergeStatus, bool HasConflicts,
    IReadOnlyList<GitLabUser>? Reviewers, string? Sha, GitLabPipeline? HeadPipeline);

public sealed record GitLabPipeline(long Id, string? Status, string? WebUrl, DateTimeOffset? CreatedAt, DateTimeOffset? StartedAt);

public sealed record GitLabJob(long Id, string Name, string? Status, string? WebUrl, DateTimeOffset? StartedAt);

/// <summary><c>GET …/merge_requests/:iid/approvals</c>: who approved, and how many approvals are still missing.</summary>
public sealed record GitLabApprovals(IReadOnlyList<GitLabApproval>? ApprovedBy, int? ApprovalsRequired, int? ApprovalsLeft, bool? Approved);

public sealed record GitLabApproval(GitLabUser User, DateTimeOffset? ApprovedAt);

/// <summary><c>GET …/merge_requests/:iid/reviewers</c>: state is unreviewed, review_started, reviewed,
/// requested_changes, approved or unapproved.</summary>
public sealed record GitLabReviewer(GitLabUser User, string? State, DateTimeOffset? CreatedAt);

public sealed record GitLabCommit(string Id, DateTimeOffset? CommittedDate, DateTimeOffset? CreatedAt);

/// <summary>A note with its author and time (system notes such as "requested changes" included).</summary>
public sealed record GitLabNoteEntry(long Id, string? Body, bool System, GitLabUser? Author, DateTimeOffset CreatedAt);
