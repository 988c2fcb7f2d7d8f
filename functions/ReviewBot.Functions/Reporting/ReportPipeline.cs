using Microsoft.Extensions.Options;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Reporting;

/// <summary>
/// What a task's report says, decided once for every code host; the host (<see cref="ICodeHostReporter"/>) only renders
/// and posts it. For a completed task: load the result → the changed lines (<see cref="ChangedLinesAsync"/>) → plan
/// (<see cref="ReportPlanner"/>) → line comments, only when the linter ran → notes on the comments that could not be
/// posted → summary and conclusion. A dry run (<c>report: none</c>) goes the same way and records what would have been
/// posted instead of posting it. One caller per task at a time (<see cref="ReportQueue"/>).
/// </summary>
public sealed class ReportPipeline(TaskStore store, IEnumerable<ICodeHostReporter> hosts, IOptions<ReportingOptions> options)
{
    private readonly Dictionary<string, ICodeHostReporter> _hosts = hosts.ToDictionary(h => h.Host, StringComparer.Ordinal);

    /// <summary>Brings <paramref name="task"/>'s report to <paramref name="stage"/>; returns the progress to store.</summary>
    public async Task<ReportProgress> PublishAsync(ReviewTask task, ReportStage stage, Func<ReportProgress, Task> checkpoint, CancellationToken ct)
    {
        var host = _hosts.GetValueOrDefault(task.Host) is { Enabled: true } enabled ? enabled : null;
        if (task.Report.Mode == ReportMode.None) return await DryRunAsync(task, stage, host, ct);
        if (host is null) return ReportProgress.Off($"not reported: no {task.Host} credentials are configured");
        var progress = await PublishAsync(host, task, stage, await InputAsync(task, stage, ct), checkpoint, ct);
        return progress with { Stage = stage, Done = stage == ReportStage.Completed };
    }

    /// <summary>The part after loading: what <paramref name="host"/> posts for <paramref name="stage"/>.</summary>
    public static async Task<ReportProgress> PublishAsync(ICodeHostReporter host, ReviewTask task, ReportStage stage, ReportInput input,
        Func<ReportProgress, Task> checkpoint, CancellationToken ct)
    {
        if (stage == ReportStage.Completed) return await CompletedAsync(host, task, input, checkpoint, ct);
        if (!task.Report.PostsChecks) return task.Reporting;
        return stage switch
        {
            ReportStage.ActionRequired => await host.ActionRequiredAsync(task, input.TaskLink, ct),
            ReportStage.Queued => await host.QueuedAsync(task, input.TaskLink, ct),
            ReportStage.InProgress => await host.InProgressAsync(task, input.TaskLink, ct),
            _ => task.Reporting,
        };
    }

    private static async Task<ReportProgress> CompletedAsync(ICodeHostReporter host, ReviewTask task, ReportInput input, Func<ReportProgress, Task> checkpoint, CancellationToken ct)
    {
        var change = task.PullRequest is null ? null : await host.ChangeAsync(task, ct);
        var (plan, changes) = await PlanAsync(task, input.Result, change, ct);
        var report = new CompletedReport(plan, changes, change, input.TaskLink, input.MaxComments);
        var notes = new List<string>();
        string? commented = null;
        // Comments only when the linter ran: a cancelled, failed or skipped run says nothing about which findings are gone.
        if (task.Report.PostsReview && task.PullRequest is not null && task.State is TaskState.Succeeded or TaskState.Failed)
        {
            var comments = await host.CommentAsync(task, report, ct);
            notes.AddRange(Notes(host.DisplayName, comments));
            commented = comments.Said;
        }
        var progress = await host.CompletedAsync(task, report with { Notes = notes }, checkpoint, ct);
        var summarised = await SummaryAsync(host, task, plan, input.TaskLink, ct);
        var said = new[] { progress.Note, commented, summarised }.Where(s => !string.IsNullOrEmpty(s)).ToList();
        return progress with { Note = said.Count == 0 ? "nothing to post" : string.Join("; ", said) };
    }

    /// <summary>Brings the change request's one summary comment up to date with this run (<see cref="PullRequestSummary"/>),
    /// when <c>summary:</c> asks for one and the linter ran. Runs of one change request update it one at a time on this
    /// instance (<see cref="SummaryLocks"/>): the comment is read, changed and written back. A run of an older head than the
    /// comment's (the change request's update time of the task's push) leaves it as it is.</summary>
    private static async Task<string?> SummaryAsync(ICodeHostReporter host, ReviewTask task, ReportPlan plan, string? link, CancellationToken ct)
    {
        if (task.Report.Summary == SummaryMode.Off || task.PullRequest is not { } number || task.State is not (TaskState.Succeeded or TaskState.Failed)) return null;
        var run = new SummaryRun(plan.Linter, plan.Conclusion, link, [.. plan.Findings.Select(f => (f.Fingerprint, f.Finding.Severity))]);
        return await SummaryLocks.RunAsync($"{task.Host}|{task.Repository}|{number}",
            () => host.SummaryCommentAsync(task, existing => PullRequestSummary.Update(existing, task.HeadSha, run, task.Report.Summary, task.SourceUpdatedAt ?? task.CreatedAt), ct), ct);
    }

    /// <summary>The plan of a completed task, and the changed lines it was made with.</summary>
    private static async Task<(ReportPlan Plan, ChangedLines? Changes)> PlanAsync(ReviewTask task, TaskResultDocument? result, HostChange? change, CancellationToken ct)
    {
        var findings = result?.Findings ?? [];
        var changes = findings.Count == 0 ? new ChangedLines([]) : await ChangedLinesAsync(task, result!, change, ct);
        return (ReportPlanner.Plan(task.Linter.Name, task.State.EndedAs(), findings, changes, task.Report, result?.BaseFindings, result?.BaselineNote), changes);
    }

    /// <summary>
    /// The changed lines findings are filtered with, by one rule for every code host: <b>the agent's diff is used only
    /// when the task's <see cref="ReviewTask.BaseSha"/> is the commit the host itself diffs the change request
    /// against</b> (<see cref="HostChange.BaseShaAsync"/>). The agent takes its diff from that base (three-dot, files
    /// with findings only), so then it is the diff the host shows, at no API cost. Otherwise (the base branch moved or was
    /// changed since the push, the task has no base, the agent dropped a diff too large to send) the host's own diff is
    /// read (<see cref="HostChange.FilesAsync"/>): comments are placed on lines the host shows. A task outside a change
    /// request, or whose host cannot be asked (a dry run without credentials), has only the agent's diff, if any.
    /// </summary>
    internal static async Task<ChangedLines?> ChangedLinesAsync(ReviewTask task, TaskResultDocument result, HostChange? change, CancellationToken ct)
    {
        if (change is null) return result.Diff is { } only ? ChangedLines.FromGitDiff(only) : null;
        if (result.Diff is { } diff && task.BaseSha is { } baseSha
            && string.Equals(baseSha, await change.BaseShaAsync(ct), StringComparison.OrdinalIgnoreCase))
            return ChangedLines.FromGitDiff(diff);
        return await change.FilesAsync(ct);
    }

    /// <summary>The summary's lines about line comments not posted: why none were, the ones the host refused, the ones
    /// over the limit (unless the host listed those itself).</summary>
    private static IEnumerable<string> Notes(string host, CommentOutcome comments)
    {
        if (comments.WhyNone is { } why) yield return why;
        if (comments.Refused.Count > 0)
        {
            yield return $"{comments.Refused.Count} finding{FindingText.Plural(comments.Refused.Count)} could not be placed as line comments:";
            foreach (var r in comments.Refused)
                yield return $"- `{FindingText.Cell(FindingText.Location(r.Finding.Finding))}` {FindingText.Cell(r.Finding.Finding.Message)} — {host}: {FindingText.Cell(r.Why)}";
        }
        if (comments.Overflow.Count > 0 && !comments.OverflowListed)
        {
            yield return $"{comments.Overflow.Count} more finding{FindingText.Plural(comments.Overflow.Count)} not posted as line comments (limit per run):";
            foreach (var f in comments.Overflow)
                yield return $"- `{FindingText.Cell(FindingText.Location(f.Finding))}` {FindingText.Cell(f.Finding.Message)}";
        }
    }

    /// <summary><c>report: none</c>: the queued and running stages post nothing; at completion the plan is made as for a
    /// real report (with the host's diff base when the host can be asked) and recorded as the result's preview.</summary>
    private async Task<ReportProgress> DryRunAsync(ReviewTask task, ReportStage stage, ICodeHostReporter? host, CancellationToken ct)
    {
        if (stage != ReportStage.Completed) return task.Reporting with { Stage = stage, Note = "dry run (report: none): nothing is posted" };
        var input = await InputAsync(task, stage, ct);
        var change = host is not null && task.PullRequest is not null ? await host.ChangeAsync(task, ct) : null;
        var (plan, _) = await PlanAsync(task, input.Result, change, ct);
        var preview = Previews.Of(task, plan, input);
        if (input.Result is { } result) await store.SaveResultAsync(task.Id, result with { Preview = preview }, ct);
        return task.Reporting with
        {
            Stage = stage, Done = true,
            Note = $"dry run (report: none): would have posted {preview.Conclusion.ToString().ToLowerInvariant()} with {preview.Annotations} annotation(s) and {preview.Comments.Count} comment(s)",
        };
    }

    private async Task<ReportInput> InputAsync(ReviewTask task, ReportStage stage, CancellationToken ct) =>
        new(stage == ReportStage.Completed ? await store.GetResultAsync(task.Id, ct) : null, options.Value.TaskLink(task.Id), options.Value.MaxComments);
}
