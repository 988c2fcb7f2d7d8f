namespace ReviewBot.Core.Review.Diffs;

/// <summary>How a file changed. <see cref="Binary"/> wins over the others: git shows no lines for it.</summary>
public enum FileStatus { Added, Modified, Renamed, Deleted, Binary }

/// <summary>One file of a diff. <see cref="NewPath"/> is the repo-relative '/' path on the head side (for a deleted
/// file, the path it had); <see cref="OldPath"/> is the base-side path, null for an added file.</summary>
public sealed record FileDiff(string NewPath, string? OldPath, FileStatus Status, IReadOnlyList<DiffHunk> Hunks)
{
    /// <summary>A deleted or binary file has no line a review comment can sit on.</summary>
    public bool HasCommentableLines => Status is not (FileStatus.Deleted or FileStatus.Binary);

    /// <summary>The hunk whose new side holds <paramref name="line"/>, or null.</summary>
    public DiffHunk? HunkAt(int line)
    {
        foreach (var hunk in Hunks)
            if (hunk.Contains(line)) return hunk;
        return null;
    }
}

/// <summary>One <c>@@ -a,b +c,d @@ section</c> hunk. <see cref="AddedLines"/> and <see cref="ContextLines"/> are
/// new-side line numbers, ascending; together they are every new-side line of the hunk.</summary>
public sealed record DiffHunk(
    int OldStart, int OldCount, int NewStart, int NewCount, string Section,
    IReadOnlyList<int> AddedLines, IReadOnlyList<int> ContextLines)
{
    /// <summary>Last new-side line; less than <see cref="NewStart"/> when the hunk only removes lines.</summary>
    public int NewEnd => NewStart + NewCount - 1;

    public bool Contains(int line) => NewCount > 0 && line >= NewStart && line <= NewEnd;

    /// <summary>The base-side line of each of <see cref="ContextLines"/>, index for index.</summary>
    public IReadOnlyList<int> ContextOldLines { get; init; } = [];

    /// <summary>The text of every new-side line, from <see cref="NewStart"/> on (empty when not parsed from a body).</summary>
    public IReadOnlyList<string> NewTexts { get; init; } = [];

    public bool IsAdded(int line) => Contains(line) && IndexOf(AddedLines, line) >= 0;

    /// <summary>The head-side text of <paramref name="newLine"/>, or null when the hunk does not hold it.</summary>
    public string? TextAt(int newLine) => Contains(newLine) && newLine - NewStart < NewTexts.Count ? NewTexts[newLine - NewStart] : null;

    /// <summary>The base-side line number of the context line <paramref name="newLine"/>; null for an added line or
    /// one outside the hunk.</summary>
    public int? OldLineOf(int newLine) =>
        Contains(newLine) && IndexOf(ContextLines, newLine) is >= 0 and var i && i < ContextOldLines.Count ? ContextOldLines[i] : null;

    private static int IndexOf(IReadOnlyList<int> sorted, int value)
    {
        int lo = 0, hi = sorted.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] == value) return mid;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }
}
