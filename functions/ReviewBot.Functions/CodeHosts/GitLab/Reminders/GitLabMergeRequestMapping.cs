using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.Reminders;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reminders;

/// <summary>
/// Maps GitLab REST answers about one merge request to a <see cref="PullRequestSnapshot"/> (field values from
/// https://docs.gitlab.com/api/merge_requests/ — <c>detailed_merge_status</c>, <c>head_pipeline.status</c> — and
/// https://docs.gitlab.com/api/merge_request_approvals/).
/// <list type="bullet">
/// <item>Mergeability: <c>conflict</c> (or <c>has_conflicts</c>) → conflicting; <c>checking</c>, <c>unchecked</c>,
/// <c>preparing</c>, <c>approvals_syncing</c> → unknown (re-read); anything else → mergeable.
/// <c>need_rebase</c> → behind base (GitLab reports it only when the project's merge method requires it).</item>
/// <item>CI: the head pipeline's status; failed and canceled fail (the failed jobs are named), created, pending,
/// running, scheduled, manual and the like are pending, skipped or no pipeline is none.</item>
/// <item>Reviews: each approver approved (at <c>approved_at</c> when GitLab gives it); a reviewer in state
/// <c>requested_changes</c> requested changes at the time of their latest "requested changes" system note.</item>
/// <item>Requested reviewers: reviewers in state unreviewed, review_started or unapproved who have not approved.</item>
/// </list>
/// </summary>
public static class GitLabMergeRequestMapping
{
    private static readonly string[] UnknownStates = ["checking", "unchecked", "preparing", "approvals_syncing", "cannot_be_merged_recheck"];
    private static readonly string[] PendingPipeline = ["created", "waiting_for_resource", "preparing", "pending", "running", "scheduled", "manual", "waiting_for_callback"];
    private static readonly string[] AwaitingReview = ["unreviewed", "review_started", "unapproved"];

    public static PullRequestSnapshot Map(
        string repository,
        GitLabMergeRequestDetails mr,
        GitLabApprovals? approvals,
        IReadOnlyList<GitLabReviewer> reviewers,
        GitLabCommit? latestCommit,
        IReadOnlyList<GitLabJob> failedJobs,
        IReadOnlyList<GitLabNoteEntry> notes)
    {
        var status = (mr.DetailedMergeStatus ?? mr.MergeStatus ?? "").ToLowerInvariant();
        var mergeability = mr.HasConflicts || status is "conflict" or "cannot_be_merged" ? Mergeability.Conflicting
            : UnknownStates.Contains(status) ? Mergeability.Unknown
            : Mergeability.Mergeable;
        var updated = mr.UpdatedAt ?? mr.CreatedAt;

        var (ci, checks) = Pipeline(mr.HeadPipeline, failedJobs);

        var reviews = new List<Review>();
        var approvers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in approvals?.ApprovedBy ?? [])
        {
            approvers.Add(a.User.Username);
            reviews.Add(new Review(a.User.Username, ReviewState.Approved, a.ApprovedAt ?? updated));
        }
        var requested = new List<string>();
        foreach (var r in reviewers)
        {
            var state = (r.State ?? "unreviewed").ToLowerInvariant();
            if (state == "requested_changes")
            {
                var at = notes.Where(n => n.System && n.Author?.Username.Equals(r.User.Username, StringComparison.OrdinalIgnoreCase) == true
                        && (n.Body ?? "").StartsWith("requested changes", StringComparison.OrdinalIgnoreCase))
                    .Select(n => (DateTimeOffset?)n.CreatedAt).Max() ?? r.CreatedAt ?? updated;
                reviews.Add(new Review(r.User.Username, ReviewState.ChangesRequested, at));
            }
            else if (AwaitingReview.Contains(state) && !approvers.Contains(r.User.Username))
            {
                requested.Add(r.User.Username);
            }
        }

        return new PullRequestSnapshot(
            Host: "gitlab",
            Repository: repository,
            Number: checked((int)mr.Iid),
            Title: mr.Title ?? "",
            Url: mr.WebUrl ?? "",
            Author: mr.Author?.Username ?? "ghost",
            Draft: mr.Draft || mr.WorkInProgress || status == "draft_status",
            Mergeability: mergeability,
            Ci: ci,
            Checks: checks,
            Reviews: reviews,
            RequestedReviewers: requested,
            RequestedTeams: [],
            TeamMembers: new Dictionary<string, IReadOnlyList<string>>(),
            BehindBase: status == "need_rebase",
            CreatedAt: mr.CreatedAt,
            LastCommitAt: latestCommit?.CommittedDate ?? latestCommit?.CreatedAt ?? mr.CreatedAt,
            LastActivityAt: updated)
        {
            ApprovalRequirementMet = approvals is null || approvals.ApprovalsRequired is null or 0 ? null
                : approvals.ApprovalsLeft is { } left ? left == 0 : approvals.Approved,
        };
    }

    private static (CiState, IReadOnlyList<CheckInfo>) Pipeline(GitLabPipeline? pipeline, IReadOnlyList<GitLabJob> failedJobs)
    {
        if (pipeline is null) return (CiState.None, []);
        var name = $"pipeline #{pipeline.Id}";
        var status = (pipeline.Status ?? "").ToLowerInvariant();
        if (status is "failed" or "canceled" or "canceling")
            return (CiState.Failure, failedJobs.Count > 0
                ? [.. failedJobs.Select(j => new CheckInfo(j.Name, CiState.Failure, j.WebUrl, j.StartedAt))]
                : [new CheckInfo(name, CiState.Failure, pipeline.WebUrl, pipeline.StartedAt ?? pipeline.CreatedAt)]);
        if (PendingPipeline.Contains(status))
            return (CiState.Pending, [new CheckInfo(name, CiState.Pending, pipeline.WebUrl, pipeline.StartedAt ?? pipeline.CreatedAt)]);
        return (status == "success" ? CiState.Success : CiState.None, []);
    }
}
