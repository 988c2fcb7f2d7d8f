using System.Globalization;
using Octokit;
using Octokit.Webhooks.Events.CheckRun;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.CodeHosts.GitHub.Reporting;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Reporting;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.CodeHosts.GitHub.Fixes;

/// <summary>What a click on "Apply fixes" did: <c>applied</c> (the new commit), <c>refused</c> (the reason was posted on
/// the pull request) or <c>ignored</c> (not ReviewBot's button or run).</summary>
public sealed record ApplyFixesOutcome(string Status, string Message);

/// <summary>
/// <c>check_run.requested_action</c> with <see cref="ApplyFixesAction.Identifier"/>: commits every fix the run reported
/// (<see cref="FixCommit"/>) to the pull request's branch, as one commit. The trust rules, checked in this order, each
/// refusal posted as a pull request comment naming the clicker, never an error answer:
/// <list type="number">
/// <item>the sender has write access to the repository (<c>GET collaborators/{login}/permission</c>: admin or write;
/// maintain reports write) — GitHub shows the button to anyone who can see the checks;</item>
/// <item>the pull request's head branch is in the repository itself: a fork's branch is never written to (the App has
/// no business pushing to someone else's repository, and "allow edits by maintainers" is not a grant to a bot);</item>
/// <item>the pull request's head is still the run's commit: fixes are line numbers in that commit, a newer head could
/// have moved every line. The ref update is not forced, so a push racing this one fails instead of being lost.</item>
/// </list>
/// The fixes are re-planned from the stored result exactly as the report planned them (<see cref="ReportPlanner"/>
/// against the same changed lines), so the commit holds the fixes the check run counted. The new commit reaches
/// ReviewBot as any push does (<c>pull_request.synchronize</c>) and is reviewed like one.
/// </summary>
public sealed class ApplyFixesRequest(TaskStore store, IGitHubClientFactory clients)
{
    private static readonly string[] WriteAccess = ["admin", "write"];

    public async Task<ApplyFixesOutcome> HandleAsync(CheckRunRequestedActionEvent e, CancellationToken ct)
    {
        var identifier = e.RequestedAction?.Identifier;
        if (identifier != ApplyFixesAction.Identifier) return new("ignored", $"check_run.requested_action '{identifier}' is not a ReviewBot action");
        var repository = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var login = e.Sender?.Login ?? throw new WebhookPayloadException("sender.login", "is missing");
        var id = e.CheckRun?.ExternalId;
        var task = string.IsNullOrEmpty(id) ? null : await store.GetAsync(id, ct);
        if (task is null || task.Host != CodeHostNames.GitHub || !string.Equals(task.Repository, repository, StringComparison.OrdinalIgnoreCase))
            return new("ignored", "no ReviewBot task ran on this check run");
        if (task.PullRequest is not { } number) return new("ignored", "the run is not a pull request's: there is no branch to commit fixes to");

        var client = await clients.ForInstallationAsync(task.InstallationId, ct);
        var repo = RepoName.Parse(task.Repository);
        try
        {
            var (refusal, pr) = await CheckAsync(client, repo, task, number, login);
            if (refusal is not null) return await RefuseAsync(client, repo, number, login, task, refusal);

            var fixes = await FixesAsync(client, repo, task, number, ct);
            if (fixes.Count == 0) return await RefuseAsync(client, repo, number, login, task, "the run reported no fix to apply");
            var outcome = await FixCommit.CommitAsync(client, repo, pr!.Head.Ref, task.HeadSha, task.Linter.Name, fixes, login);
            if (outcome.Sha is null)
                return await RefuseAsync(client, repo, number, login, task, "none of its fixes could be applied:\n" + Lines(outcome.Skipped));
            await SayAsync(client, repo, number, Applied(login, task, outcome));
            // The button has done its work: the run's commit is no longer the head.
            if (e.CheckRun?.Id is { } runId and > 0) await client.Check.Run.Update(repo.Owner, repo.Name, runId, new CheckRunUpdate { Actions = [] });
            return new("applied", string.Create(CultureInfo.InvariantCulture, $"{outcome.Applied} fix(es) of {task.Linter.Name} committed as {outcome.Sha}"));
        }
        catch (ApiValidationException x)
        {
            // Chiefly "Update is not a fast forward": the branch moved between the check and the ref update.
            return await RefuseAsync(client, repo, number, login, task, $"GitHub refused the commit ({x.Message}); the branch may have moved: push again or re-run the check");
        }
    }

    /// <summary>The first trust rule the request breaks (null when none), and the pull request as GitHub shows it now.</summary>
    private static async Task<(string? Refusal, PullRequest? Pull)> CheckAsync(IGitHubClient client, RepoName repo, ReviewTask task, int number, string login)
    {
        var permission = await new ApiConnection(client.Connection).Get<PermissionAnswer>(
            new Uri($"{repo.Path}/collaborators/{Uri.EscapeDataString(login)}/permission", UriKind.Relative));
        if (!WriteAccess.Contains(permission.Permission, StringComparer.OrdinalIgnoreCase))
            return ($"@{login} has {permission.Permission ?? "no"} access to {task.Repository}; applying fixes needs write access", null);
        var pr = await client.PullRequest.Get(repo.Owner, repo.Name, number);
        var head = pr.Head?.Repository?.FullName;
        if (head is null || !string.Equals(head, pr.Base?.Repository?.FullName ?? task.Repository, StringComparison.OrdinalIgnoreCase))
            return ($"the pull request's branch is in {(head is null ? "a deleted repository" : head)}, a fork: ReviewBot commits only to branches of {task.Repository}", pr);
        if (!string.Equals(pr.Head!.Sha, task.HeadSha, StringComparison.OrdinalIgnoreCase))
            return ($"the pull request's head has moved from {Short(task.HeadSha)} (the commit these fixes are for) to {Short(pr.Head.Sha)}; the run of the new head offers its own fixes", pr);
        return (null, pr);
    }

    /// <summary>The run's fixes, planned as the report planned them.</summary>
    private async Task<IReadOnlyList<(string File, FileFix Fix)>> FixesAsync(IGitHubClient client, RepoName repo, ReviewTask task, int number, CancellationToken ct)
    {
        var result = await store.GetResultAsync(task.Id, ct);
        if (result is null || result.Findings.All(f => f.Fix is null)) return [];
        var changes = await ReportPipeline.ChangedLinesAsync(task, result, new GitHubReporter.PullRequestDiff(client, repo, number), ct);
        var plan = ReportPlanner.Plan(task.Linter.Name, task.State.EndedAs(), result.Findings, changes, task.Report, result.BaseFindings, result.BaselineNote);
        return [.. ApplyFixesAction.Fixable(plan).Select(f => (f.Finding.File, new FileFix(f.Finding.Fix!, f.Finding.Rule)))];
    }

    private static async Task<ApplyFixesOutcome> RefuseAsync(IGitHubClient client, RepoName repo, int number, string login, ReviewTask task, string why)
    {
        await SayAsync(client, repo, number, $"@{login} ReviewBot did not apply the fixes of **{task.Linter.Name}** ({Short(task.HeadSha)}): {why}.");
        return new("refused", why);
    }

    private static string Applied(string login, ReviewTask task, FixCommitOutcome outcome)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"@{login} ReviewBot committed {outcome.Applied} fix{(outcome.Applied == 1 ? "" : "es")} of **{task.Linter.Name}** as {outcome.Sha} ({string.Join(", ", outcome.Rules)}).");
        return outcome.Skipped.Count == 0 ? text : text + $"\n\n{outcome.Skipped.Count} fix(es) left out:\n" + Lines(outcome.Skipped);
    }

    private static Task SayAsync(IGitHubClient client, RepoName repo, int number, string text)
    {
        var bounded = new BoundedText(BoundedText.GitHubLimit);
        foreach (var line in text.Split('\n')) bounded.Line(line);
        return client.Issue.Comment.Create(repo.Owner, repo.Name, number, bounded.ToString(n => $"… {n} more line(s) not shown."));
    }

    private static string Lines(IEnumerable<string> items) => string.Join("\n", items.Select(i => "- " + i));

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    /// <summary><c>GET collaborators/{login}/permission</c>: <c>permission</c> is admin, write, read or none.</summary>
    private sealed class PermissionAnswer
    {
        public string? Permission { get; set; }
    }
}
