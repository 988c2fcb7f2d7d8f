using System.Globalization;
using Octokit;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>
/// The "Apply N fixes" button of a completed check run (a GitHub requested action): offered when the run is a pull
/// request's, the linter ran, and at least one reported finding carries a fix. Clicking it sends
/// <c>check_run.requested_action</c> with <see cref="Identifier"/> (handled in CodeHosts/GitHub/Fixes). GitHub's
/// limits: label and identifier 20 characters, description 40.
/// </summary>
public static class ApplyFixesAction
{
    public const string Identifier = "apply-fixes";
    public const string Description = "Commit them to the pull request branch";

    /// <summary>The findings of <paramref name="plan"/> whose fix the button commits.</summary>
    public static IReadOnlyList<PlannedFinding> Fixable(ReportPlan plan) => [.. plan.Findings.Where(f => f.Finding.Fix is not null)];

    /// <summary>The button for <paramref name="task"/>'s completed run, or null when there is nothing to offer.</summary>
    public static NewCheckRunAction? For(ReviewTask task, ReportPlan plan)
    {
        if (task.PullRequest is null || task.Job is not null || task.State is not (TaskState.Succeeded or TaskState.Failed)) return null;
        var n = Fixable(plan).Count;
        return n == 0 ? null : new NewCheckRunAction(Label(n), Description, Identifier);
    }

    /// <summary>"Apply 1 fix", "Apply 12 fixes": at most 17 characters for any int.</summary>
    public static string Label(int n) => string.Create(CultureInfo.InvariantCulture, $"Apply {n} fix{(n == 1 ? "" : "es")}");
}
