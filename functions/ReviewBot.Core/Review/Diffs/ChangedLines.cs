namespace ReviewBot.Core.Review.Diffs;

/// <summary>The files of one pull request's diff, indexed by their head-side path. A renamed file is found by its
/// new path only (findings come from the head checkout); a deleted file is kept, so callers can tell "deleted"
/// from "not in the change", but it has no commentable line.</summary>
public sealed class ChangedLines
{
    private readonly Dictionary<string, FileDiff> byPath = new(StringComparer.Ordinal);

    public ChangedLines(IEnumerable<FileDiff> files)
    {
        foreach (var file in files) byPath[file.NewPath] = file;
    }

    public static ChangedLines FromGitDiff(string gitDiffOutput) => new(UnifiedDiff.Parse(gitDiffOutput));

    public IReadOnlyCollection<FileDiff> Files => byPath.Values;

    /// <summary>The file at repo-relative <paramref name="path"/> ('\' and a leading "./" tolerated), or null.</summary>
    public FileDiff? Find(string path) => byPath.GetValueOrDefault(Normalize(path));

    public bool IsAdded(string path, int line) => Find(path) is { HasCommentableLines: true } f && f.HunkAt(line)?.IsAdded(line) == true;

    internal static string Normalize(string path)
    {
        var p = path.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        return p.TrimStart('/');
    }
}
