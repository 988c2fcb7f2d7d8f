using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Core.Review;

/// <summary>
/// Decides what one linter run reports: pure, so every rule here is tested without a host or a code host.
/// <list type="bullet">
/// <item>Findings are kept by the linter's filter mode against the exact diff (<see cref="DiffFilter"/>); with no diff
/// known (a run that is not a pull request) every finding is kept, with no line comment.</item>
/// <item>Each finding's fingerprint is <see cref="Fingerprint.Of"/> with the text of its line when the diff has it;
/// findings that still share one (the same message on identical lines) get <see cref="Fingerprint.Occurrence"/>
/// ordinals in line order, so each has its own comment.</item>
/// <item>A finding's fix becomes a suggestion in its line comment when the fix's lines all lie in one hunk (on the
/// head side, added or context): the comment then spans exactly those lines, which is what GitHub replaces when the
/// suggestion is committed. A fix touching any other line stays off the comment (<see cref="PlannedFinding.Suggestion"/>
/// null) and is listed in the summary instead of failing the review.</item>
/// <item>With <c>filter: new</c>, the findings the merge base already had are left out first (<see cref="Baseline"/>)
/// and counted (<see cref="ReportPlan.ExistingLeftOut"/>), so <see cref="ReportSettings.FailOn"/> counts new findings
/// only. Without the base's findings (none sent: an agent that predates baselines, no base
/// commit, a failed base run) every finding is kept and <see cref="ReportPlan.BaselineUnavailable"/> says why.</item>
/// <item>The conclusion: the run's end first when it did not finish linting (<c>endedAs</c>: cancelled, timed
/// out, skipped, or failure for an error), then
/// failure when a kept finding reaches <see cref="ReportSettings.FailOn"/>, neutral when findings remain, else success.</item>
/// </list>
/// </summary>
public static class ReportPlanner
{
    /// <param name="baseFindings">With <c>filter: new</c>: the linter's findings on the merge base, as the agent sent them.</param>
    /// <param name="baselineNote">The agent's word on the baseline (why it is missing).</param>
    public static ReportPlan Plan(string linter, Conclusion? endedAs, IReadOnlyList<Finding> findings, ChangedLines? changes, ReportSettings settings,
        IReadOnlyList<Finding>? baseFindings = null, string? baselineNote = null)
    {
        var existing = 0;
        string? unavailable = null;
        if (settings.Filter == FilterMode.New && endedAs is null)
        {
            if (baseFindings is null)
                unavailable = baselineNote ?? "the agent sent no findings of the merge base (it predates filter: new)";
            else
                (findings, existing) = Baseline.Split(linter, findings, baseFindings, changes);
        }
        var kept = new List<(Finding Finding, ReviewCommentGeometry? Comment, int? OldLine, string? Text)>();
        var outside = 0;
        if (changes is null)
            kept.AddRange(findings.Select(f => (f, (ReviewCommentGeometry?)null, (int?)null, (string?)null)));
        else
        {
            var filter = new DiffFilter(changes, settings.Filter);
            foreach (var finding in findings)
            {
                if (filter.TryKeep(finding, out var result))
                    kept.Add((result.Finding, result.Comment, OldLineOf(changes, result), changes.Find(finding.File)?.HunkAt(finding.Line)?.TextAt(finding.Line)));
                else outside++;
            }
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var planned = new List<PlannedFinding>(kept.Count);
        foreach (var (finding, comment, oldLine, text) in kept.OrderBy(k => k.Finding.File, StringComparer.Ordinal).ThenBy(k => k.Finding.Line).ThenBy(k => k.Finding.Column ?? 0))
        {
            var fp = Fingerprint.Of(linter, finding, text);
            var n = seen.GetValueOrDefault(fp);
            seen[fp] = n + 1;
            var suggestion = SuggestionPlace(changes, finding);
            planned.Add(suggestion is null
                ? new PlannedFinding(finding, Fingerprint.Occurrence(fp, n), comment, oldLine)
                : new PlannedFinding(finding, Fingerprint.Occurrence(fp, n), suggestion, OldLineOf(changes!, finding.File, suggestion.Line)) { Suggestion = finding.Fix });
        }

        return new ReportPlan(linter, planned, outside, ConclusionFor(endedAs, planned, settings), changes is not null)
        {
            ExistingLeftOut = existing,
            BaselineUnavailable = unavailable,
        };
    }

    public static Conclusion ConclusionFor(Conclusion? endedAs, IReadOnlyList<PlannedFinding> findings, ReportSettings settings) =>
        endedAs ?? (findings.Any(f => settings.Fails(f.Finding.Severity)) ? Conclusion.Failure
            : findings.Count > 0 ? Conclusion.Neutral
            : Conclusion.Success);

    private static int? OldLineOf(ChangedLines changes, FilteredFinding kept) =>
        kept.Comment is { } c ? OldLineOf(changes, kept.Finding.File, c.Line) : null;

    private static int? OldLineOf(ChangedLines changes, string file, int line) =>
        changes.Find(file)?.HunkAt(line) is { } hunk ? hunk.OldLineOf(line) : null;

    /// <summary>Where the comment carrying <paramref name="finding"/>'s fix goes: the fix's lines, when they lie in one
    /// hunk of a file with commentable lines; else null.</summary>
    private static ReviewCommentGeometry? SuggestionPlace(ChangedLines? changes, Finding finding)
    {
        if (changes is null || finding.Fix is not { } fix || fix.StartLine < 1 || fix.EndLine < fix.StartLine) return null;
        var file = changes.Find(finding.File);
        var hunk = file is { HasCommentableLines: true } ? file.HunkAt(fix.StartLine) : null;
        return hunk is not null && hunk.Contains(fix.EndLine) ? ReviewCommentGeometry.For(fix.StartLine, fix.EndLine) : null;
    }
}
