using ReviewBot.Contracts.Findings;

namespace ReviewBot.Core.Review.Diffs;

/// <summary>Where a GitHub pull request review comment goes: <c>line</c>/<c>side</c>, plus
/// <c>start_line</c>/<c>start_side</c> for a range. Both ends always lie in one hunk, which is what GitHub's 422
/// "start line must be part of the same hunk as the line" demands.</summary>
public sealed record ReviewCommentGeometry(int Line, string Side, int? StartLine, string? StartSide)
{
    public const string Right = "RIGHT";

    public static ReviewCommentGeometry For(int startLine, int endLine) =>
        startLine < endLine ? new(endLine, Right, startLine, Right) : new(endLine, Right, null, null);
}

/// <summary>A finding that passed the filter. <see cref="Comment"/> is null when no review comment can anchor it
/// (outside every hunk, possible in <c>file</c>/<c>nofilter</c> modes): report it in the check run or summary.</summary>
public sealed record FilteredFinding(Finding Finding, ReviewCommentGeometry? Comment);

/// <summary>
/// Keeps the findings that lie on the change. A finding covers <c>Line..EndLine</c> (just <c>Line</c> when
/// <c>EndLine</c> is missing or smaller). Rules:
/// <list type="bullet">
/// <item><c>added</c>: the whole range lies inside one hunk and <b>at least one</b> line of it is added (a
/// multi-line finding about a block the change touched, like reviewdog's <c>ShouldReport</c>).</item>
/// <item><c>diff_context</c>: the whole range lies inside one hunk.</item>
/// <item><c>file</c>: the file is in the change and not deleted; the comment geometry is given when the range
/// lies in one hunk.</item>
/// <item><c>new</c>: as <c>file</c>; which of them the base already had is decided before (Review/Baseline.cs).</item>
/// <item><c>nofilter</c>: always kept, geometry as for <c>file</c>.</item>
/// </list>
/// Binary and deleted files have no hunks to comment on. Line 0 (unknown) is never inside a hunk.
/// </summary>
public sealed class DiffFilter(ChangedLines changes, FilterMode mode = FilterMode.Added)
{
    public FilterMode Mode => mode;

    public IReadOnlyList<FilteredFinding> Apply(IEnumerable<Finding> findings)
    {
        var kept = new List<FilteredFinding>();
        foreach (var finding in findings)
            if (TryKeep(finding, out var result)) kept.Add(result);
        return kept;
    }

    public bool TryKeep(Finding finding, out FilteredFinding result)
    {
        var file = changes.Find(finding.File);
        var (start, end) = Range(finding);
        var hunk = file is { HasCommentableLines: true } && start > 0 ? file.HunkAt(start) : null;
        var inOneHunk = hunk is not null && hunk.Contains(end);
        var geometry = inOneHunk ? ReviewCommentGeometry.For(start, end) : null;
        var keep = mode switch
        {
            FilterMode.Added => inOneHunk && AnyAdded(hunk!, start, end),
            FilterMode.DiffContext => inOneHunk,
            FilterMode.File or FilterMode.New => file is not null && file.Status != FileStatus.Deleted,
            _ => true,
        };
        result = new FilteredFinding(finding, geometry);
        return keep;
    }

    private static (int Start, int End) Range(Finding f) =>
        (f.Line, f.EndLine is { } e && e > f.Line ? e : f.Line);

    private static bool AnyAdded(DiffHunk hunk, int start, int end)
    {
        foreach (var line in hunk.AddedLines)
            if (line >= start && line <= end) return true;
        return false;
    }
}
