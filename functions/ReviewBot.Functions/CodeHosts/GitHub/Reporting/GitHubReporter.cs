using System.Globalization;
using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>
/// Publishes tasks on GitHub: a check run per (head SHA, linter) when ReviewBot is an App, else a commit status;
/// and, for a pull request whose linter ran, one review's worth of line comments. Order at completion: comments
/// first, so the findings GitHub refused as comments can be named in the check run's summary.
/// </summary>
public sealed class GitHubReporter(IGitHubClientFactory clients, IOptions<GitHubWebhookOptions> options) : ICodeHostReporter
{
    public string Host => CodeHostNames.GitHub;

    public bool Enabled => options.Value.HasCredentials;

    public async Task<ReportProgress> PublishAsync(ReviewTask task, ReportStage stage, ReportInput input, Func<ReportProgress, Task> checkpoint, CancellationToken ct)
    {
        var client = await clients.ForInstallationAsync(task.InstallationId, ct);
        var repo = RepoName.Parse(task.Repository);
        var progress = task.Reporting;
        var checks = task.Report.PostsChecks;
        switch (stage)
        {
            case ReportStage.ActionRequired when checks && clients.IsApp:
                return await CheckRunPublisher.ActionRequiredAsync(client, repo, task, progress, input.TaskLink) with { Note = "check run action_required: waiting for approval" };
            case ReportStage.ActionRequired when checks:
                await CommitStatusPublisher.ActionRequiredAsync(client, repo, task, input.TaskLink);
                return progress with { Note = "commit status pending: waiting for approval" };
            case ReportStage.Queued when checks && clients.IsApp:
                return await CheckRunPublisher.QueuedAsync(client, repo, task, progress, input.TaskLink) with { Note = "check run queued" };
            case ReportStage.Queued when checks:
                await CommitStatusPublisher.QueuedAsync(client, repo, task, input.TaskLink);
                return progress with { Note = "commit status pending" };
            case ReportStage.InProgress when checks && clients.IsApp:
                return await CheckRunPublisher.InProgressAsync(client, repo, task, progress, input.TaskLink) with { Note = "check run in progress" };
            case ReportStage.InProgress when checks:
                await CommitStatusPublisher.InProgressAsync(client, repo, task, input.TaskLink);
                return progress with { Note = "commit status pending" };
            case ReportStage.Completed:
                return await CompletedAsync(client, repo, task, input, progress, checkpoint);
            default:
                return progress;
        }
    }

    private async Task<ReportProgress> CompletedAsync(IGitHubClient client, RepoName repo, ReviewTask task, ReportInput input, ReportProgress progress, Func<ReportProgress, Task> checkpoint)
    {
        var findings = input.Result?.Findings ?? [];
        var changes = findings.Count == 0 ? new ChangedLines([]) : await ChangesAsync(client, repo, task, input.Result);
        var plan = ReportPlanner.Plan(task.Linter.Name, task.State.EndedAs(), findings, changes, task.Report);
        var notes = new List<string>();
        var said = new List<string>();

        // Comments only when the linter ran: a cancelled or failed run says nothing about which findings are gone.
        if (task.Report.PostsReview && task.PullRequest is not null && task.State is TaskState.Succeeded or TaskState.Failed)
        {
            var review = await new ReviewPublisher(client.Connection).PublishAsync(repo, task, plan, input.MaxComments, input.TaskLink);
            if (review.Rejected.Count > 0)
            {
                notes.Add($"{review.Rejected.Count} finding{FindingText.Plural(review.Rejected.Count)} could not be placed as line comments:");
                notes.AddRange(review.Rejected.Select(r => $"- `{FindingText.Cell(FindingText.Location(r.Finding.Finding))}` {FindingText.Cell(r.Finding.Finding.Message)} — GitHub: {FindingText.Cell(r.Why)}"));
            }
            said.Add(string.Create(CultureInfo.InvariantCulture,
                $"{review.Posted} comment(s) posted in {review.Reviews} review(s), {review.AlreadyPosted} already there, {review.Deleted} removed, {review.MarkedOutdated} marked outdated, {review.Rejected.Count} refused, {review.Overflow.Count} over the limit"));
        }

        if (task.Report.PostsChecks)
        {
            var summary = ReportText.Summary(task, plan, input.TaskLink, notes);
            if (clients.IsApp)
                progress = await CheckRunPublisher.CompletedAsync(client, repo, task, plan, summary, progress, input.TaskLink, checkpoint);
            else
                await CommitStatusPublisher.CompletedAsync(client, repo, task, plan, input.TaskLink);
            said.Insert(0, $"{(clients.IsApp ? "check run" : "commit status")} {plan.Conclusion.ToString().ToLowerInvariant()}");
        }
        return progress with { Note = said.Count == 0 ? "nothing to post" : string.Join("; ", said) };
    }

    /// <summary>The exact changed lines: the agent's git diff when it sent one, else the pull request's files
    /// (every page; a file GitHub gives no patch for, binary or too large, has no line to comment on).</summary>
    private static async Task<ChangedLines?> ChangesAsync(IGitHubClient client, RepoName repo, ReviewTask task, TaskResultDocument? result)
    {
        if (result?.Diff is { } diff) return ChangedLines.FromGitDiff(diff);
        if (task.PullRequest is not { } number) return null;
        var files = await client.PullRequest.Files(repo.Owner, repo.Name, number, new ApiOptions { PageSize = 100 });
        return new ChangedLines(files.Select(f => f.Patch is { } patch
            ? UnifiedDiff.ParsePatch(f.FileName, f.PreviousFileName, patch, Status(f.Status))
            : new FileDiff(f.FileName, f.PreviousFileName, f.Status == "removed" ? FileStatus.Deleted : FileStatus.Binary, [])));
    }

    private static FileStatus? Status(string status) => status switch
    {
        "added" => FileStatus.Added,
        "removed" => FileStatus.Deleted,
        "renamed" => FileStatus.Renamed,
        _ => null,
    };
}
