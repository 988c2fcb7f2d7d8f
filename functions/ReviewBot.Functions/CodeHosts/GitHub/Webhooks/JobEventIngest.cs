using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>
/// GitHub events that start jobs, mapped to <see cref="JobEvent"/>s that <see cref="JobEvents"/> fires: a merged pull
/// request (prMerged), a new tag (tagCreated, from <c>create</c> or <c>release</c> published), a push to a branch
/// (push). The firing key makes a redelivery, or the same tag seen through both events, create one task: prMerged
/// "merged:&lt;repo&gt;#&lt;number&gt;", tagCreated "tag:&lt;repo&gt;:&lt;tag&gt;", push the delivery id.
/// </summary>
/// <remarks>The event's clone URL and default branch, when the server accepts them, let the repository's own
/// <c>.reviewbot.yml</c> jobs fire too, and are where server jobs naming no clone URL clone from.</remarks>
public sealed class JobEventIngest(JobEvents jobs, GitHubSource sources)
{
    public static bool IsMerge(PullRequestEvent e) => e.Action == "closed" && e.PullRequest?.Merged == true;

    public async Task<IReadOnlyList<string>> PullRequestMergedAsync(PullRequestEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var pr = e.PullRequest ?? throw new WebhookPayloadException("pull_request", "is missing");
        var head = pr.Head?.Ref ?? throw new WebhookPayloadException("pull_request.head.ref", "is missing");
        var @base = pr.Base?.Ref ?? throw new WebhookPayloadException("pull_request.base.ref", "is missing");
        GitHubSource.CheckNames(repo, pr.MergeCommitSha, "pull_request.merge_commit_sha", (head, "pull_request.head.ref"), (@base, "pull_request.base.ref"));
        return await jobs.FireAsync(Event(e, JobTriggerKind.PrMerged, repo, @base, $"merged:{repo.ToLowerInvariant()}#{pr.Number}",
            $"github pull_request merged {repo}#{pr.Number} {head} → {@base} (delivery {deliveryId})") with { SourceBranch = head, Sha = pr.MergeCommitSha }, ct);
    }

    /// <summary><c>create</c>: only tags start jobs (a new branch is a push).</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(CreateEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        if (e.RefType?.StringValue != "tag") return [];
        var tag = e.Ref ?? throw new WebhookPayloadException("ref", "is missing");
        GitHubSource.CheckNames(repo, null, "", (tag, "ref"));
        return await TagAsync(e, repo, tag, $"github create tag {tag} (delivery {deliveryId})", ct);
    }

    /// <summary><c>release</c>: published only; drafts are not tags yet.</summary>
    public async Task<IReadOnlyList<string>> ReleaseAsync(ReleaseEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        if (e.Action != "published") return [];
        var tag = e.Release?.TagName ?? throw new WebhookPayloadException("release.tag_name", "is missing");
        GitHubSource.CheckNames(repo, null, "", (tag, "release.tag_name"));
        return await TagAsync(e, repo, tag, $"github release published {tag} (delivery {deliveryId})", ct);
    }

    /// <summary><c>push</c> to <c>refs/heads/…</c> that did not delete the branch.</summary>
    public async Task<IReadOnlyList<string>> PushAsync(PushEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        const string heads = "refs/heads/";
        if (e.Deleted || e.Ref is not { } r || !r.StartsWith(heads, StringComparison.Ordinal)) return [];
        var branch = r[heads.Length..];
        var sha = e.After ?? throw new WebhookPayloadException("after", "is missing");
        GitHubSource.CheckNames(repo, sha, "after", (branch, "ref"));
        return await jobs.FireAsync(Event(e, JobTriggerKind.Push, repo, branch, deliveryId,
            $"github push {branch} {sha[..Math.Min(7, sha.Length)]} (delivery {deliveryId})") with { Sha = sha }, ct);
    }

    private Task<IReadOnlyList<string>> TagAsync(WebhookEvent e, string repo, string tag, string description, CancellationToken ct) =>
        jobs.FireAsync(Event(e, JobTriggerKind.TagCreated, repo, tag, $"tag:{repo.ToLowerInvariant()}:{tag}", description), ct);

    /// <summary>The event with its repository's clone URL and default branch when the server accepts them (else none:
    /// the repository's file is not read, and server jobs clone from the configured GitHub host).</summary>
    private JobEvent Event(WebhookEvent e, JobTriggerKind kind, string repo, string @ref, string key, string description)
    {
        var job = new JobEvent(kind, CodeHostNames.GitHub, repo, @ref, key, description) { InstallationId = e.Installation?.Id };
        if (e.Repository is not { CloneUrl: { } cloneUrl } r) return job;
        try
        {
            var allowLocal = sources.CloneUrl(cloneUrl, "repository.clone_url");
            return job with { CloneUrl = cloneUrl, AllowLocal = allowLocal, DefaultBranch = r.DefaultBranch };
        }
        catch (WebhookPayloadException) { return job; }
    }
}
