namespace ReviewBot.Core.Review.Diffs;

/// <summary>
/// Parses unified diffs. Hunk bodies are walked by their header counts, so a removed line that reads
/// <c>--- x</c> or an added <c>+++ y</c> stays body text, and <c>@@ -5 +5 @@</c> (no counts: one line) and
/// <c>+0,0</c> (nothing left on the new side) are understood — the two places qiniu/reviewbot's regex goes wrong.
/// </summary>
public static partial class UnifiedDiff
{
    /// <summary>Every file of <c>git diff</c> output (several <c>diff --git</c> sections). Text before the first
    /// header is ignored.</summary>
    public static IReadOnlyList<FileDiff> Parse(string text)
    {
        var files = new List<FileDiff>();
        var lines = SplitLines(text);
        var i = 0;
        while (i < lines.Length && !lines[i].StartsWith("diff --git ", StringComparison.Ordinal)) i++;
        while (i < lines.Length) files.Add(ParseFile(lines, ref i));
        return files;
    }

    /// <summary>One file's hunks as GitHub's <c>files[].patch</c> or GitLab's <c>changes[].diff</c> give them (no
    /// file headers). The status is inferred: renamed when the paths differ, added when every hunk starts at
    /// <c>-0,0</c>, deleted when every hunk ends at <c>+0,0</c>. An empty patch (GitHub leaves it out for binary and
    /// very large files) yields a file with no hunks: only the <c>file</c> and <c>nofilter</c> modes place
    /// findings on it. Pass <paramref name="status"/> when the API says it (GitHub <c>status</c>: <c>removed</c>
    /// is <see cref="FileStatus.Deleted"/>; GitLab <c>new_file</c>/<c>deleted_file</c>/<c>renamed_file</c>) so a
    /// file whose patch was left out is still classified right.</summary>
    public static FileDiff ParsePatch(string newPath, string? oldPath, string patch, FileStatus? status = null)
    {
        var lines = SplitLines(patch);
        var hunks = new List<DiffHunk>();
        var i = 0;
        while (i < lines.Length)
        {
            if (TryParseHunk(lines, ref i) is { } hunk) hunks.Add(hunk);
            else i++;
        }
        status ??= hunks.Count > 0 && hunks.TrueForAll(h => h.OldStart == 0 && h.OldCount == 0) ? FileStatus.Added
            : hunks.Count > 0 && hunks.TrueForAll(h => h.NewCount == 0) ? FileStatus.Deleted
            : oldPath is not null && oldPath != newPath ? FileStatus.Renamed
            : FileStatus.Modified;
        return new FileDiff(newPath, status == FileStatus.Added ? null : oldPath ?? newPath, status.Value, hunks);
    }

    private static FileDiff ParseFile(string[] lines, ref int i)
    {
        var header = GitPath.FromGitHeader(lines[i]["diff --git ".Length..]);
        string? oldPath = header?.Old, newPath = header?.New;
        bool added = false, deleted = false, renamed = false, binary = false;
        var hunks = new List<DiffHunk>();
        for (i++; i < lines.Length; )
        {
            var line = lines[i];
            if (line.StartsWith("diff --git ", StringComparison.Ordinal)) break;
            if (line.StartsWith("@@ ", StringComparison.Ordinal) && TryParseHunk(lines, ref i) is { } hunk)
            {
                hunks.Add(hunk);
                continue;
            }
            if (line.StartsWith("new file mode ", StringComparison.Ordinal)) added = true;
            else if (line.StartsWith("deleted file mode ", StringComparison.Ordinal)) deleted = true;
            else if (line.StartsWith("rename from ", StringComparison.Ordinal)) { renamed = true; oldPath = GitPath.FromRenameLine(line["rename from ".Length..]); }
            else if (line.StartsWith("rename to ", StringComparison.Ordinal)) { renamed = true; newPath = GitPath.FromRenameLine(line["rename to ".Length..]); }
            else if (line.StartsWith("copy from ", StringComparison.Ordinal)) oldPath = GitPath.FromRenameLine(line["copy from ".Length..]);
            else if (line.StartsWith("copy to ", StringComparison.Ordinal)) newPath = GitPath.FromRenameLine(line["copy to ".Length..]);
            else if (line.StartsWith("--- ", StringComparison.Ordinal)) oldPath = GitPath.FromFileLine(line[4..]) ?? oldPath;
            else if (line.StartsWith("+++ ", StringComparison.Ordinal)) newPath = GitPath.FromFileLine(line[4..]) ?? newPath;
            else if (line.StartsWith("Binary files ", StringComparison.Ordinal) || line == "GIT binary patch") binary = true;
            i++;
        }
        var status = binary ? FileStatus.Binary
            : deleted ? FileStatus.Deleted
            : added ? FileStatus.Added
            : renamed ? FileStatus.Renamed
            : FileStatus.Modified;
        newPath ??= oldPath ?? "";
        return new FileDiff(newPath, added ? null : oldPath ?? newPath, status, hunks);
    }

    private static string[] SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        // A trailing newline leaves one empty entry that is not a line of the diff.
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
