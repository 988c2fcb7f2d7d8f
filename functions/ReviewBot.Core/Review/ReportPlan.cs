using System.Text.Json.Serialization;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Core.Review;

/// <summary>A finding that will be reported, with its identity across pushes and, when a line comment can anchor it,
/// where that comment goes. <see cref="OldLine"/> is the base-side line of <see cref="Comment"/>'s line when it is a
/// context line (GitLab needs both sides then), null for an added line.</summary>
public sealed record PlannedFinding(Finding Finding, string Fingerprint, ReviewCommentGeometry? Comment, int? OldLine = null)
{
    /// <summary>The finding's fix when its line comment carries it as a suggestion: then <see cref="Comment"/> spans
    /// exactly the fix's lines. Null when there is no fix, or it touches lines outside the diff's hunks (the summary
    /// shows it instead: <see cref="ReportPlan.FixesOutsideDiff"/>).</summary>
    public FindingFix? Suggestion { get; init; }
}

/// <summary>The conclusion of a check run (GitHub's names); a commit status maps them to its four states.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Conclusion>))]
public enum Conclusion { Success, Neutral, Failure, Cancelled, TimedOut, Skipped }

/// <summary>
/// Everything a code host needs to publish one linter run: the findings on the change (annotations; those with a
/// <see cref="PlannedFinding.Comment"/> also as line comments), how many fell outside the change, and the conclusion.
/// Pure data, computed by <see cref="ReportPlanner"/>; GitHub and GitLab render it their own way.
/// </summary>
public sealed record ReportPlan(
    string Linter,
    IReadOnlyList<PlannedFinding> Findings,
    int OutsideChange,
    Conclusion Conclusion,
    bool DiffKnown)
{
    public IEnumerable<PlannedFinding> Commentable => Findings.Where(f => f.Comment is not null);

    public int Count(Severity severity) => Findings.Count(f => f.Finding.Severity == severity);

    /// <summary>Findings with a fix that no line comment can carry as a suggestion.</summary>
    /// <summary><c>filter: new</c>: how many findings were left out because the merge base already had them.</summary>
    public int ExistingLeftOut { get; init; }

    /// <summary><c>filter: new</c> without the merge base's findings: why (every finding was then kept). Null otherwise.</summary>
    public string? BaselineUnavailable { get; init; }

    public IEnumerable<PlannedFinding> FixesOutsideDiff => Findings.Where(f => f.Finding.Fix is not null && f.Suggestion is null);
}
