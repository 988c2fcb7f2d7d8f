using System.Globalization;
using System.Text.RegularExpressions;

namespace ReviewBot.Core.Review.Diffs;

public static partial class UnifiedDiff
{
    /// <summary>A missing count means 1 (GNU diffutils, "Detailed Unified"); the section text after the second
    /// <c>@@</c> is optional.</summary>
    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(?: ?(.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex HunkHeader();

    /// <summary>Reads the hunk whose header is at <paramref name="i"/> and leaves <paramref name="i"/> after its
    /// body. Returns null (and moves nowhere) when the line is not a hunk header.</summary>
    private static DiffHunk? TryParseHunk(string[] lines, ref int i)
    {
        var m = HunkHeader().Match(lines[i]);
        if (!m.Success) return null;
        int oldStart = Number(m.Groups[1]), oldCount = Count(m.Groups[2]);
        int newStart = Number(m.Groups[3]), newCount = Count(m.Groups[4]);
        var added = new List<int>();
        var context = new List<int>();
        var contextOld = new List<int>();
        var texts = new List<string>();
        int oldLeft = oldCount, newLeft = newCount, newLine = newStart, oldLine = oldStart;
        for (i++; i < lines.Length && (oldLeft > 0 || newLeft > 0 || lines[i].StartsWith('\\')); i++)
        {
            var line = lines[i];
            switch (line.Length == 0 ? ' ' : line[0])
            {
                // Some tools strip the space of an empty context line; it still is one.
                case ' ' when oldLeft > 0 && newLeft > 0:
                    context.Add(newLine++); contextOld.Add(oldLine++); texts.Add(Body(line)); oldLeft--; newLeft--; break;
                case '+' when newLeft > 0:
                    added.Add(newLine++); texts.Add(Body(line)); newLeft--; break;
                case '-' when oldLeft > 0:
                    oldLine++; oldLeft--; break;
                case '\\':
                    break; // "\ No newline at end of file" belongs to the line before it.
                default:
                    return Hunk(); // Truncated hunk: keep what was read; the caller resumes at this line.
            }
        }
        return Hunk();

        DiffHunk Hunk() => new(oldStart, oldCount, newStart, newCount, m.Groups[5].Value, added, context) { ContextOldLines = contextOld, NewTexts = texts };
    }

    private static string Body(string line) => line.Length == 0 ? "" : line[1..];

    private static int Number(Group g) => int.Parse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int Count(Group g) => g.Success ? Number(g) : 1;
}
