using Octokit.Webhooks.Events;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>A GitHub <c>pull_request</c> delivery as a <see cref="ChangeRequest"/>: everything comes from the payload
/// (the base commit is <c>pull_request.base.sha</c>, the trust facts are <see cref="GitHubOrigin"/>).</summary>
public static class PullRequestChange
{
    /// <summary>Actions that put new code in front of reviewers.</summary>
    public static readonly IReadOnlySet<string> ReviewActions = new HashSet<string>(StringComparer.Ordinal) { "opened", "synchronize", "reopened", "ready_for_review" };

    public static bool NeedsReview(PullRequestEvent e) =>
        e.Action is { } a && ReviewActions.Contains(a) && e.PullRequest is { Draft: false, State.StringValue: "open" or null };

    /// <summary>The change request, its source checked (<see cref="GitHubSource.CheckPullRequest"/>).</summary>
    public static ChangeRequest From(PullRequestEvent e, string deliveryId, GitHubSource sources)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var cloneUrl = e.Repository.CloneUrl ?? throw new WebhookPayloadException("repository.clone_url", "is missing");
        var pr = e.PullRequest ?? throw new WebhookPayloadException("pull_request", "is missing");
        var head = pr.Head?.Sha ?? throw new WebhookPayloadException("pull_request.head.sha", "is missing");
        var allowLocal = sources.CheckPullRequest(e);
        var number = (int)pr.Number;
        return new ChangeRequest
        {
            Host = CodeHostNames.GitHub,
            Repository = repo,
            Number = number,
            Name = $"{repo}#{number}",
            InstallationId = e.Installation?.Id,
            HeadSha = head,
            HeadRef = pr.Head.Ref,
            BaseSha = pr.Base?.Sha,
            BaseRef = pr.Base?.Ref,
            CloneUrl = cloneUrl,
            AllowLocal = allowLocal,
            UpdatedAt = pr.UpdatedAt,
            Trigger = $"github pull_request.{e.Action} #{number}",
            DeliveryId = deliveryId,
            Origin = GitHubOrigin.Of(e),
            TaskIdFor = linter => TaskIds.ForPullRequest(repo, number, head, linter),
        };
    }
}
