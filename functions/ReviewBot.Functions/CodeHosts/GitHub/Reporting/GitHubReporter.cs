using System.Globalization;
using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>
/// Renders and posts reports on GitHub: a check run per (head SHA, linter) when ReviewBot is an App, else a commit
/// status; a pull request's line comments as reviews (<see cref="ReviewPublisher"/>). The check run's summary is written
/// after the comments, so it can name the findings GitHub refused as comments.
/// </summary>
public sealed class GitHubReporter(IGitHubClientFactory clients, IOptions<GitHubOptions> options) : ICodeHostReporter
{
    public string Host => CodeHostNames.GitHub;

    public string DisplayName => "GitHub";

    public bool Enabled => options.Value.HasCredentials;

    public async Task<ReportProgress> ActionRequiredAsync(ReviewTask task, string? taskLink, CancellationToken ct)
    {
        var (client, repo) = await ClientAsync(task, ct);
        if (clients.IsApp)
            return await CheckRunPublisher.ActionRequiredAsync(client, repo, task, task.Reporting, taskLink) with { Note = "check run action_required: waiting for approval" };
        await CommitStatusPublisher.ActionRequiredAsync(client, repo, task, taskLink);
        return task.Reporting with { Note = "commit status pending: waiting for approval" };
    }

    public async Task<ReportProgress> QueuedAsync(ReviewTask task, string? taskLink, CancellationToken ct)
    {
        var (client, repo) = await ClientAsync(task, ct);
        if (clients.IsApp) return await CheckRunPublisher.QueuedAsync(client, repo, task, task.Reporting, taskLink) with { Note = "check run queued" };
        await CommitStatusPublisher.QueuedAsync(client, repo, task, taskLink);
        return task.Reporting with { Note = "commit status pending" };
    }

    public async Task<ReportProgress> InProgressAsync(ReviewTask task, string? taskLink, CancellationToken ct)
    {
        var (client, repo) = await ClientAsync(task, ct);
        if (clients.IsApp) return await CheckRunPublisher.InProgressAsync(client, repo, task, task.Reporting, taskLink) with { Note = "check run in progress" };
        await CommitStatusPublisher.InProgressAsync(client, repo, task, taskLink);
        return task.Reporting with { Note = "commit status pending" };
    }

    public async Task<HostChange?> ChangeAsync(ReviewTask task, CancellationToken ct)
    {
        if (task.PullRequest is not { } number) return null;
        var (client, repo) = await ClientAsync(task, ct);
        return new PullRequestDiff(client, repo, number);
    }

    public async Task<string?> SummaryCommentAsync(ReviewTask task, Func<string?, string?> update, CancellationToken ct)
    {
        if (task.PullRequest is not { } number) return null;
        var (client, repo) = await ClientAsync(task, ct);
        return await SummaryCommentPublisher.PublishAsync(client.Connection, repo, number, update);
    }

    public async Task<CommentOutcome> CommentAsync(ReviewTask task, CompletedReport report, CancellationToken ct)
    {
        var (client, repo) = await ClientAsync(task, ct);
        var review = await new ReviewPublisher(client.Connection).PublishAsync(repo, task, report.Plan, report.MaxComments, report.TaskLink, ct);
        return review with
        {
            Said = string.Create(CultureInfo.InvariantCulture,
                $"{review.Posted} comment(s) posted in {review.Requests} review(s), {review.AlreadyPosted} already there, {review.Closed} removed, {review.Resolved} resolved, {review.Reopened} reopened, {review.MarkedOutdated} marked outdated, {review.Refused.Count} refused, {review.Overflow.Count} over the limit"),
        };
    }

    public async Task<ReportProgress> CompletedAsync(ReviewTask task, CompletedReport report, Func<ReportProgress, Task> checkpoint, CancellationToken ct)
    {
        if (!task.Report.PostsChecks) return task.Reporting with { Note = null };
        var (client, repo) = await ClientAsync(task, ct);
        var plan = report.Plan;
        var progress = task.Reporting;
        if (clients.IsApp)
            progress = await CheckRunPublisher.CompletedAsync(client, repo, task, plan, ReportText.Summary(task, plan, report.TaskLink, report.Notes), progress, report.TaskLink, checkpoint);
        else
            await CommitStatusPublisher.CompletedAsync(client, repo, task, plan, report.TaskLink);
        return progress with { Note = $"{(clients.IsApp ? "check run" : "commit status")} {plan.Conclusion.ToString().ToLowerInvariant()}" };
    }

    private async Task<(IGitHubClient Client, RepoName Repo)> ClientAsync(ReviewTask task, CancellationToken ct) =>
        (await clients.ForInstallationAsync(task.InstallationId, ct), RepoName.Parse(task.Repository));

    /// <summary>A pull request as GitHub shows it, read only as far as asked: its base (<c>GET /pulls/{n}</c>) and its
    /// files (<c>GET /pulls/{n}/files</c>, every page; a file without a patch, binary or too large, has no line).</summary>
    internal sealed class PullRequestDiff(IGitHubClient client, RepoName repo, int number) : HostChange
    {
        public override async Task<string?> BaseShaAsync(CancellationToken ct) =>
            (await client.PullRequest.Get(repo.Owner, repo.Name, number)).Base?.Sha;

        public override async Task<ChangedLines> FilesAsync(CancellationToken ct)
        {
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
}
