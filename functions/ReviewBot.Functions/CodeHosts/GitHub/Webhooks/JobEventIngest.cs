using Octokit.Webhooks.Events;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>
/// GitHub events that start jobs: a merged pull request (pr-merged), a new tag (tag-created, from <c>create</c> or
/// <c>release</c> published), a push to a branch (push). Each matching enabled job of the repository is fired through
/// <see cref="JobLauncher"/>; the firing key makes a redelivery, or the same tag seen through both events, create
/// one task: pr-merged "merged:&lt;repo&gt;#&lt;number&gt;", tag-created "tag:&lt;repo&gt;:&lt;tag&gt;", push the delivery id.
/// </summary>
public sealed class JobEventIngest(IJobCatalog catalog, JobLauncher launcher)
{
    public static bool IsMerge(PullRequestEvent e) => e.Action == "closed" && e.PullRequest?.Merged == true;

    public async Task<IReadOnlyList<string>> PullRequestMergedAsync(PullRequestEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var pr = e.PullRequest ?? throw new WebhookPayloadException("pull_request", "is missing");
        var head = pr.Head?.Ref ?? throw new WebhookPayloadException("pull_request.head.ref", "is missing");
        var @base = pr.Base?.Ref ?? throw new WebhookPayloadException("pull_request.base.ref", "is missing");
        WebhookSource.CheckNames(repo, pr.MergeCommitSha, "pull_request.merge_commit_sha", (head, "pull_request.head.ref"), (@base, "pull_request.base.ref"));
        var firing = new JobFiring($"merged:{repo.ToLowerInvariant()}#{pr.Number}",
            $"github pull_request merged {repo}#{pr.Number} {head} → {@base} (delivery {deliveryId})", @base, pr.MergeCommitSha);
        return await FireAsync(repo, JobTriggerKind.PrMerged,
            j => TriggerPattern.BranchMatches(j.Trigger.SourceBranch, head) && TriggerPattern.BranchMatches(j.Trigger.TargetBranch, @base), firing, ct);
    }

    /// <summary><c>create</c>: only tags start jobs (a new branch is a push).</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(CreateEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        if (e.RefType?.StringValue != "tag") return [];
        var tag = e.Ref ?? throw new WebhookPayloadException("ref", "is missing");
        WebhookSource.CheckNames(repo, null, "", (tag, "ref"));
        return await TagAsync(repo, tag, $"github create tag {tag} (delivery {deliveryId})", ct);
    }

    /// <summary><c>release</c>: published only; drafts are not tags yet.</summary>
    public async Task<IReadOnlyList<string>> ReleaseAsync(ReleaseEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        if (e.Action != "published") return [];
        var tag = e.Release?.TagName ?? throw new WebhookPayloadException("release.tag_name", "is missing");
        WebhookSource.CheckNames(repo, null, "", (tag, "release.tag_name"));
        return await TagAsync(repo, tag, $"github release published {tag} (delivery {deliveryId})", ct);
    }

    /// <summary><c>push</c> to <c>refs/heads/…</c> that did not delete the branch.</summary>
    public async Task<IReadOnlyList<string>> PushAsync(PushEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        const string heads = "refs/heads/";
        if (e.Deleted || e.Ref is not { } r || !r.StartsWith(heads, StringComparison.Ordinal)) return [];
        var branch = r[heads.Length..];
        var sha = e.After ?? throw new WebhookPayloadException("after", "is missing");
        WebhookSource.CheckNames(repo, sha, "after", (branch, "ref"));
        var firing = new JobFiring(deliveryId, $"github push {branch} {sha[..Math.Min(7, sha.Length)]} (delivery {deliveryId})", branch, sha);
        return await FireAsync(repo, JobTriggerKind.Push, j => TriggerPattern.BranchMatches(j.Trigger.Branch, branch), firing, ct);
    }

    private Task<IReadOnlyList<string>> TagAsync(string repo, string tag, string description, CancellationToken ct) =>
        FireAsync(repo, JobTriggerKind.TagCreated, j => TriggerPattern.TagMatches(j.Trigger.Tag, tag),
            new JobFiring($"tag:{repo.ToLowerInvariant()}:{tag}", description, tag), ct);

    private async Task<IReadOnlyList<string>> FireAsync(string repo, JobTriggerKind kind, Func<JobDefinition, bool> matches, JobFiring firing, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var job in await catalog.ListAsync(ct))
        {
            if (!job.Enabled || job.Trigger.Kind != kind || !string.Equals(job.Repository, repo, StringComparison.OrdinalIgnoreCase) || !matches(job)) continue;
            var launch = await launcher.FireAsync(job, firing, ct);
            if (launch.Outcome != LaunchOutcome.SkippedWhileActive) ids.Add(launch.TaskId);
        }
        return ids;
    }
}
