using Octokit.Webhooks.Events;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>
/// "Re-run" on GitHub's checks tab: <c>check_run.rerequested</c> re-runs one linter (the task named by the check
/// run's <c>external_id</c>, else the latest task of that linter on that head), <c>check_suite.rerequested</c> every
/// linter ReviewBot ran on the suite's head. Each re-run is a new task with a new check run.
/// Jobs are never re-run this way: whoever may re-run checks on a commit (anyone with write access, and GitHub's own
/// "re-run all") must not start a deploy again with its secrets; a job runs again only through its trigger or the API.
/// </summary>
public sealed class CheckRerunIngest(TaskStore store, TaskLifecycle tasks)
{
    public async Task<RerunOutcome> CheckRunAsync(CheckRunEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var run = e.CheckRun ?? throw new WebhookPayloadException("check_run", "is missing");
        var head = run.HeadSha ?? throw new WebhookPayloadException("check_run.head_sha", "is missing");
        GitHubSource.CheckNames(repo, head, "check_run.head_sha");
        var onHead = await TasksOnHeadAsync(repo, head, ct);
        if (onHead.FirstOrDefault(t => t.Id == run.ExternalId) is { Job: not null } job)
            return RerunOutcome.None($"check run '{run.Name}' is the run of job '{job.JobName}'; a re-run from GitHub re-runs linters only");
        var linters = onHead.Where(t => t.Job is null).ToList();
        var original = linters.FirstOrDefault(t => t.Id == run.ExternalId) ?? linters.Where(t => t.Linter.Name == run.Name).MaxBy(t => t.CreatedAt);
        return original is null
            ? RerunOutcome.None(onHead.Count > 0 ? "only jobs ran on this commit under that name; a re-run from GitHub re-runs linters only" : "no ReviewBot task ran on this check run")
            : await RerunAsync([original], $"github check_run.rerequested {run.Name}", deliveryId, ct);
    }

    public async Task<RerunOutcome> CheckSuiteAsync(CheckSuiteEvent e, string deliveryId, CancellationToken ct)
    {
        var repo = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var head = e.CheckSuite?.HeadSha ?? throw new WebhookPayloadException("check_suite.head_sha", "is missing");
        GitHubSource.CheckNames(repo, head, "check_suite.head_sha");
        var onHead = await TasksOnHeadAsync(repo, head, ct);
        var latest = onHead.Where(t => t.Job is null).GroupBy(t => t.Linter.Name).Select(g => g.MaxBy(t => t.CreatedAt)!).ToList();
        if (latest.Count == 0)
            return RerunOutcome.None(onHead.Count > 0 ? "only jobs ran on this commit; a re-run from GitHub re-runs linters only" : "no ReviewBot task ran on this check suite");
        return await RerunAsync(latest, "github check_suite.rerequested", deliveryId, ct);
    }

    private async Task<List<ReviewTask>> TasksOnHeadAsync(string repo, string head, CancellationToken ct) =>
        [.. await store.OfCommitAsync(CodeHostNames.GitHub, repo, head, ct)];

    private async Task<RerunOutcome> RerunAsync(IEnumerable<ReviewTask> originals, string trigger, string deliveryId, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var original in originals)
            if (await tasks.RerunAsync(original, trigger, deliveryId, ct) is { } rerun) ids.Add(rerun.Task.Id);
        return ids.Count > 0 ? new RerunOutcome(ids, null) : RerunOutcome.None("the task awaits approval; approving it runs it");
    }
}

/// <summary>The linter runs queued again, or none and why.</summary>
public sealed record RerunOutcome(IReadOnlyList<string> TaskIds, string? WhyNone)
{
    public static RerunOutcome None(string why) => new([], why);
}
