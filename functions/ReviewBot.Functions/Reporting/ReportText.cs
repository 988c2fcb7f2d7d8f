using System.Globalization;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Reporting;

/// <summary>Human text of a report: check-run title, summary and details, shared by GitHub and GitLab. Every
/// text is bounded by <see cref="BoundedText.GitHubLimit"/> with the overflow stated.</summary>
public static class ReportText
{
    /// <summary>How many findings the summary lists; the rest are in the details text and the annotations.</summary>
    public const int TopFindings = 10;

    public static string Title(ReviewTask task, ReportPlan plan) => plan.Conclusion switch
    {
        Conclusion.Cancelled => "Cancelled",
        Conclusion.TimedOut => "Timed out",
        Conclusion.Skipped => "Skipped: no changed file for this linter",
        _ when task.State == TaskState.Errored => "Could not run",
        _ when plan.Findings.Count == 0 => "No findings",
        _ => $"{plan.Findings.Count} finding{FindingText.Plural(plan.Findings.Count)}" + (plan.Count(Severity.Error) is > 0 and var e ? $" ({e} error{FindingText.Plural(e)})" : ""),
    };

    public static string QueuedSummary(ReviewTask task) =>
        $"Waiting for an agent{(string.IsNullOrEmpty(task.NodeLabels) ? "" : $" matching `{task.NodeLabels}`")}." +
        (task.PlacementReason is { Length: > 0 } why ? $"\n\n{why}" : "");

    public const string WaitingTitle = "Waiting for approval";

    /// <summary>Why an untrusted pull request's task does not run (its <see cref="ReviewTask.PlacementReason"/>, set by
    /// Trust/TrustRules.cs), and what a maintainer can do.</summary>
    public static string WaitingSummary(ReviewTask task) =>
        $"**{task.Linter.Name}** did not run: {task.PlacementReason ?? "waiting for approval"}.\n\n" +
        "The pull request comes from a fork and its author is not trusted by the repository's `trust:` policy. Once someone " +
        "trusted has checked that the change is safe to run, their approval starts the linters — without credentials or " +
        "secrets, and only on the agents the policy names.";

    /// <summary>The wait's reason on one line, for a commit status's description (markdown removed).</summary>
    public static string WaitingLine(ReviewTask task) =>
        task.PlacementReason is { Length: > 0 } why ? char.ToUpperInvariant(why[0]) + why[1..].Replace("`", "") : WaitingTitle;

    public static string RunningSummary(ReviewTask task) => $"Running on {task.NodeName ?? "an agent"}.";

    /// <param name="notes">Extra lines shown before the link (findings GitHub refused as comments).</param>
    public static string Summary(ReviewTask task, ReportPlan plan, string? taskLink, IEnumerable<string>? notes = null)
    {
        var text = new BoundedText(BoundedText.GitHubLimit);
        if (task.Error is { Length: > 0 } error && task.State is not (TaskState.Succeeded or TaskState.Failed))
            text.Line($"**{Title(task, plan)}**: {error}").Line();
        if (plan.Findings.Count > 0)
        {
            var counts = string.Join(", ", new[] { Severity.Error, Severity.Warning, Severity.Info }
                .Select(s => (s, n: plan.Count(s))).Where(x => x.n > 0).Select(x => $"{x.n} {FindingText.Name(x.s)}{FindingText.Plural(x.n)}"));
            text.Line($"**{plan.Linter}** found {plan.Findings.Count} issue{FindingText.Plural(plan.Findings.Count)} {Where(plan)}: {counts}.");
        }
        else if (task.State is TaskState.Succeeded or TaskState.Failed)
            text.Line($"**{plan.Linter}** found nothing {Where(plan)}.");
        if (plan.OutsideChange > 0)
            text.Line($"{plan.OutsideChange} more finding{FindingText.Plural(plan.OutsideChange)} on lines this change did not touch {(plan.OutsideChange == 1 ? "is" : "are")} not reported.");
        if (plan.ExistingLeftOut > 0)
            text.Line($"{plan.ExistingLeftOut} existing finding{FindingText.Plural(plan.ExistingLeftOut)} left out: the merge base already had {(plan.ExistingLeftOut == 1 ? "it" : "them")} (`filter: new`).");
        if (plan.BaselineUnavailable is { } why)
            text.Line($"The baseline was not available ({FindingText.Cell(why)}): every finding in the changed files is reported.");
        var top = plan.Findings.OrderByDescending(f => f.Finding.Severity).Take(TopFindings).ToList();
        if (top.Count > 0)
        {
            text.Line().Line(top.Count < plan.Findings.Count ? $"Top {top.Count}:" : "").Line("| Severity | Location | Rule | Message |").Line("|---|---|---|---|");
            foreach (var f in top) text.Line(Row(f.Finding));
        }
        if (notes is not null)
            foreach (var note in notes) text.Line(note);
        Fixes(text, SummaryFixes(task, plan).ToList());
        if (taskLink is not null) text.Line().Line($"[Task details and console output]({taskLink})");
        return text.ToString(n => $"… {n} more line(s) not shown: GitHub limits a summary to 65,535 characters.");
    }

    /// <summary>The fixes no line comment carries as a suggestion: outside the diff's hunks, or every fix when the run
    /// posts no review (<c>report: checks</c>, or no change request).</summary>
    public static IEnumerable<PlannedFinding> SummaryFixes(ReviewTask task, ReportPlan plan) =>
        task.Report.PostsReview && task.PullRequest is not null ? plan.FixesOutsideDiff : plan.Findings.Where(f => f.Finding.Fix is not null);

    /// <summary>Each fix as the lines it replaces and a block of the new text, folded.</summary>
    private static void Fixes(BoundedText text, IReadOnlyList<PlannedFinding> fixes)
    {
        if (fixes.Count == 0) return;
        text.Line().Line($"<details><summary>{fixes.Count} suggested fix{(fixes.Count == 1 ? "" : "es")} not shown as line comments</summary>").Line();
        foreach (var f in fixes)
        {
            var fix = f.Finding.Fix!;
            var lines = fix.StartLine == fix.EndLine ? $"line {fix.StartLine}" : $"lines {fix.StartLine}–{fix.EndLine}";
            text.Line($"`{FindingText.Cell(f.Finding.File)}` {lines}{(f.Finding.Rule is { Length: > 0 } r ? $" (`{FindingText.Cell(r)}`)" : "")}, replaced by:");
            var block = CommentBody.Suggestion(fix, SuggestionMarkup.CommentRange);
            var fence = block[..block.IndexOf("suggestion", StringComparison.Ordinal)];
            text.Line(fence);
            foreach (var line in fix.NewLines) text.Line(line);
            text.Line(fence).Line();
        }
        text.Line("</details>");
    }

    /// <summary>Every finding as a table, for the check run's details text.</summary>
    public static string? Details(ReportPlan plan)
    {
        if (plan.Findings.Count <= TopFindings) return null;
        var text = new BoundedText(BoundedText.GitHubLimit).Line("| Severity | Location | Rule | Message |").Line("|---|---|---|---|");
        foreach (var f in plan.Findings) text.Line(Row(f.Finding));
        return text.ToString(n => $"… {n} more finding(s) not listed here: GitHub limits this text to 65,535 characters. Every finding is annotated.");
    }

    private static string Row(Finding f) =>
        $"| {FindingText.Name(f.Severity)} | `{FindingText.Cell(FindingText.Location(f))}` | {(f.Rule is { Length: > 0 } r ? $"`{FindingText.Cell(r)}`" : "")} | {FindingText.Cell(Shorten(f.Message, 300))} |";

    private static string Where(ReportPlan plan) => plan.DiffKnown ? "on the changed lines" : "";

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    internal static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
