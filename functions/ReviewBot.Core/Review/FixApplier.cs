using ReviewBot.Contracts.Findings;

namespace ReviewBot.Core.Review;

/// <summary>A fix to apply to one file, and the rule it fixes (for the commit message; null when the linter names none).</summary>
public sealed record FileFix(FindingFix Fix, string? Rule);

/// <summary>Why a fix was left out of the new text.</summary>
public enum FixSkip
{
    /// <summary>Its lines overlap a fix that came earlier in the list, which was applied.</summary>
    Overlaps,
    /// <summary>Its lines are not lines of the file (start below 1, end before start, or past the last line).</summary>
    OutOfRange,
}

/// <summary>The new text of a file and what happened to each fix.</summary>
/// <param name="Text">The file with the applied fixes; the input unchanged when none applied.</param>
/// <param name="Applied">The fixes applied, in the order given.</param>
/// <param name="Skipped">The fixes left out and why, in the order given.</param>
public sealed record FixedFile(string Text, IReadOnlyList<FileFix> Applied, IReadOnlyList<(FileFix Fix, FixSkip Why)> Skipped);

/// <summary>
/// Applies whole-line fixes (<see cref="FindingFix"/>) to a file's text, pure. The rules:
/// <list type="bullet">
/// <item>Every fix is read against the original text (line numbers of the file the linter saw), never against the
/// text another fix produced, so the order of application cannot shift a fix onto the wrong lines.</item>
/// <item>Two fixes whose line ranges share a line cannot both apply: the first in the list wins, the later one is
/// skipped (<see cref="FixSkip.Overlaps"/>). A fix reaching past the file's last line is skipped
/// (<see cref="FixSkip.OutOfRange"/>): the file is not the one the linter saw.</item>
/// <item>Line ends are kept: the replacement lines take the line end of the first line they replace ("\r\n" stays
/// "\r\n"), and a file without a final line end still has none when its last line is replaced.</item>
/// </list>
/// </summary>
public static class FixApplier
{
    public static FixedFile Apply(string text, IEnumerable<FileFix> fixes)
    {
        var lines = SplitKeepingEnds(text);
        var applied = new List<FileFix>();
        var skipped = new List<(FileFix, FixSkip)>();
        foreach (var f in fixes)
        {
            if (f.Fix.StartLine < 1 || f.Fix.EndLine < f.Fix.StartLine || f.Fix.EndLine > lines.Count) skipped.Add((f, FixSkip.OutOfRange));
            else if (applied.Any(a => a.Fix.StartLine <= f.Fix.EndLine && f.Fix.StartLine <= a.Fix.EndLine)) skipped.Add((f, FixSkip.Overlaps));
            else applied.Add(f);
        }
        if (applied.Count == 0) return new FixedFile(text, applied, skipped);

        var result = new System.Text.StringBuilder(text.Length);
        var byStart = applied.OrderBy(a => a.Fix.StartLine).ToList();
        var next = 0;
        for (var i = 0; i < lines.Count;)
        {
            if (next < byStart.Count && byStart[next].Fix.StartLine == i + 1)
            {
                var fix = byStart[next++].Fix;
                var end = LineEnd(lines[i]);
                var lastEnd = LineEnd(lines[fix.EndLine - 1]);
                var newLines = fix.NewLines;
                for (var n = 0; n < newLines.Count; n++)
                    result.Append(newLines[n]).Append(n == newLines.Count - 1 && fix.EndLine == lines.Count ? lastEnd : end is "" ? "\n" : end);
                i = fix.EndLine;
            }
            else result.Append(lines[i++]);
        }
        return new FixedFile(result.ToString(), applied, skipped);
    }

    /// <summary>The file's lines, each with its line end ("\n" or "\r\n"; the last may have none).</summary>
    private static List<string> SplitKeepingEnds(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var nl = text.IndexOf('\n', start);
            var end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    private static string LineEnd(string line) =>
        line.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : line.EndsWith('\n') ? "\n" : "";
}
