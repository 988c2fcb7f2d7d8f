using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using ReviewBot.Core.Tasks;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>
/// GitHub events that start jobs: a merged pull request (pr-merged), a new tag (tag-created, from <c>create</c> or
/// <c>release</c> published), a push to a branch (push). Each matching enabled job of the repository is fired through
/// <see cref="JobLauncher"/>; the firing key makes a redelivery, or the same tag seen through both events, create
/// one task: pr-merged "merged:&lt;repo&gt;#&lt;number&gt;", tag-created "tag:&lt;repo&gt;:&lt;tag&gt;", push the delivery id.
/// </summary>
/// <remarks>Jobs of the repository's own <c>.reviewbot.yml</c> at its default branch (<see cref="RepositoryJobs"/>) are
/// fired too, when the event names the repository's clone URL and default branch.</remarks>
public sealed class JobEventIngest(IJobCatalog catalog, JobLauncher launcher, RepositoryJobs repositoryJobs, GitHubSource sources)
{
    public static bool IsMerge(PullRequestEvent e) => e.Action == "closed" && e.PullRequest?.Merged == true;

    public async Task<IReadOnlyList<string>> PullRequestMergedAsync(PullRequestEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var pr = e.PullRequest ?? throw new WebhookPayloadException("pull_request", "is missing");
        var head = pr.Head?.Ref ?? throw new WebhookPayloadException("pull_request.head.ref", "is missing");
        var @base = pr.Base?.Ref ?? throw new WebhookPayloadException("pull_request.base.ref", "is missing");
        GitHubSource.CheckNames(repo, pr.MergeCommitSha, "pull_request.merge_commit_sha", (head, "pull_request.head.ref"), (@base, "pull_request.base.ref"));
        var firing = new JobFiring($"merged:{repo.ToLowerInvariant()}#{pr.Number}",
            $"github pull_request merged {repo}#{pr.Number} {head} → {@base} (delivery {deliveryId})", @base, pr.MergeCommitSha);
        return await FireAsync(repo, JobTriggerKind.PrMerged,
            j => TriggerPattern.BranchMatches(j.Trigger.SourceBranch, head) && TriggerPattern.BranchMatches(j.Trigger.TargetBranch, @base), firing, ct, e);
    }

    /// <summary><c>create</c>: only tags start jobs (a new branch is a push).</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(CreateEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        if (e.RefType?.StringValue != "tag") return [];
        var tag = e.Ref ?? throw new WebhookPayloadException("ref", "is missing");
        GitHubSource.CheckNames(repo, null, "", (tag, "ref"));
        return await TagAsync(repo, tag, $"github create tag {tag} (delivery {deliveryId})", ct, e);
    }

    /// <summary><c>release</c>: published only; drafts are not tags yet.</summary>
    public async Task<IReadOnlyList<string>> ReleaseAsync(ReleaseEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        if (e.Action != "published") return [];
        var tag = e.Release?.TagName ?? throw new WebhookPayloadException("release.tag_name", "is missing");
        GitHubSource.CheckNames(repo, null, "", (tag, "release.tag_name"));
        return await TagAsync(repo, tag, $"github release published {tag} (delivery {deliveryId})", ct, e);
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
        var firing = new JobFiring(deliveryId, $"github push {branch} {sha[..Math.Min(7, sha.Length)]} (delivery {deliveryId})", branch, sha);
        return await FireAsync(repo, JobTriggerKind.Push, j => TriggerPattern.BranchMatches(j.Trigger.Branch, branch), firing, ct, e);
    }

    private Task<IReadOnlyList<string>> TagAsync(string repo, string tag, string description, CancellationToken ct, WebhookEvent e) =>
        FireAsync(repo, JobTriggerKind.TagCreated, j => TriggerPattern.TagMatches(j.Trigger.Tag, tag),
            new JobFiring($"tag:{repo.ToLowerInvariant()}:{tag}", description, tag), ct, e);

    private async Task<IReadOnlyList<string>> FireAsync(string repo, JobTriggerKind kind, Func<JobDefinition, bool> matches, JobFiring firing, CancellationToken ct, WebhookEvent e)
    {
        var ids = new List<string>();
        var server = await catalog.ListAsync(ct);
        foreach (var job in server.Concat(await RepositoryJobsAsync(repo, e, firing, server, ct)))
        {
            if (!job.Enabled || job.Trigger.Kind != kind || !string.Equals(job.Repository, repo, StringComparison.OrdinalIgnoreCase) || !matches(job)) continue;
            var launch = await launcher.FireAsync(job, firing, ct);
            if (launch.Outcome != LaunchOutcome.SkippedWhileActive) ids.Add(launch.TaskId);
        }
        return ids;
    }

    /// <summary>The jobs of the repository's own file at its default branch; none when the event does not name a clone
    /// URL the server accepts, or a default branch.</summary>
    private async Task<IReadOnlyList<JobDefinition>> RepositoryJobsAsync(string repo, WebhookEvent e, JobFiring firing, IReadOnlyList<JobDefinition> server, CancellationToken ct)
    {
        if (e.Repository is not { CloneUrl: { } cloneUrl, DefaultBranch: { } branch } || !Contracts.Agents.SourceRules.IsRefName(branch)) return [];
        bool allowLocal;
        try { allowLocal = sources.CloneUrl(cloneUrl, "repository.clone_url"); }
        catch (WebhookPayloadException) { return []; }
        var source = new ChangeRequest
        {
            Host = CodeHostNames.GitHub,
            Repository = repo,
            Number = 0,
            Name = repo,
            InstallationId = e.Installation?.Id,
            HeadSha = firing.Sha ?? "",
            CloneUrl = cloneUrl,
            AllowLocal = allowLocal,
            Trigger = firing.Description,
            DeliveryId = firing.Key,
            Origin = new PullRequestOrigin(CodeHostNames.GitHub, repo, 0, firing.Sha ?? "", "", true, "", null),
            TaskIdFor = _ => "",
        };
        // A push to (or a merge into) the default branch names its new head: read there, once per commit.
        var at = firing.Ref == branch && firing.Sha is { } sha && Contracts.Agents.SourceRules.IsSha(sha) ? sha : branch;
        return await repositoryJobs.ForAsync(source, at, server, ct);
    }
}
