using System.Text;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Linting;

/// <summary>One replacement a linter suggests: the text from (<see cref="StartLine"/>, <see cref="StartColumn"/>) up to,
/// not including, (<see cref="EndLine"/>, <see cref="EndColumn"/>) becomes <see cref="Text"/>. Lines and columns are
/// 1-based, columns count UTF-16 code units (C# string indexes); a null <see cref="EndColumn"/> is the end of the line
/// (its line end kept).</summary>
internal sealed record TextEdit(int StartLine, int StartColumn, int EndLine, int? EndColumn, string Text);

/// <summary>
/// Turns a linter's character-range replacements into the whole-line fix suggestions are made of
/// (<see cref="FindingFix"/>): the replacements are applied to the lines they touch, then the lines that come out
/// unchanged at either end are dropped, so the fix covers only lines that change (at least one: an insertion keeps the
/// line it is attached to). Overlapping replacements, or ones outside the file, give no fix.
/// </summary>
internal static class FixBuilder
{
    public static FindingFix? Build(string[]? lines, IReadOnlyList<TextEdit> edits)
    {
        if (lines is null || edits.Count == 0 || edits.Any(e => e.StartLine < 1 || e.EndLine < e.StartLine || e.StartLine > lines.Length))
        {
            return null;
        }

        var first = edits.Min(e => e.StartLine);
        var last = Math.Min(edits.Max(e => e.EndLine), lines.Length);
        var region = new StringBuilder();
        for (var i = first; i <= last; i++)
        {
            region.Append(lines[i - 1]).Append('\n');
        }

        var spans = edits
            .Select(e => (Start: Offset(lines, first, last, e.StartLine, e.StartColumn), End: Offset(lines, first, last, e.EndLine, e.EndColumn), e.Text))
            .OrderByDescending(s => s.Start).ThenByDescending(s => s.End)
            .ToList();
        var limit = int.MaxValue;
        foreach (var (start, end, text) in spans)
        {
            if (end < start || end > limit)
            {
                return null; // reversed or overlapping
            }

            region.Remove(start, end - start).Insert(start, text.ReplaceLineEndings("\n"));
            limit = start;
        }

        var changed = region.ToString();
        if (changed.Length > 0 && !changed.EndsWith('\n'))
        {
            changed += "\n";
        }

        return Trim(lines[(first - 1)..last], changed.Length == 0 ? [] : changed[..^1].Split('\n'), first);
    }

    /// <summary>Replacing <paramref name="oldLines"/> (starting at line <paramref name="first"/>) by
    /// <paramref name="newLines"/>, less the lines equal at both ends; null when nothing changes.</summary>
    public static FindingFix? Trim(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, int first)
    {
        int head = 0, tail = 0;
        while (oldLines.Count - head - tail > 1 && newLines.Count - head - tail > 0 && oldLines[head] == newLines[head])
        {
            head++;
        }

        while (oldLines.Count - head - tail > 1 && newLines.Count - head - tail > 0 && oldLines[^(tail + 1)] == newLines[^(tail + 1)])
        {
            tail++;
        }

        var kept = newLines.Skip(head).Take(newLines.Count - head - tail).ToList();
        var old = oldLines.Skip(head).Take(oldLines.Count - head - tail).ToList();
        if (old.SequenceEqual(kept, StringComparer.Ordinal))
        {
            return null;
        }

        return new FindingFix(first + head, first + head + old.Count - 1, string.Concat(kept.Select(l => l + "\n")));
    }

    /// <summary>A UTF-8 byte column (reviewdog's unit) of <paramref name="line"/> as a UTF-16 column.</summary>
    public static int FromByteColumn(string[]? lines, int line, int byteColumn)
    {
        if (lines is null || line < 1 || line > lines.Length || byteColumn <= 1)
        {
            return Math.Max(byteColumn, 1);
        }

        var text = lines[line - 1];
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (bytes >= byteColumn - 1)
            {
                return i + 1;
            }

            bytes += char.IsHighSurrogate(text[i]) ? 4 : Encoding.UTF8.GetByteCount(text.AsSpan(i, char.IsSurrogate(text[i]) ? 0 : 1));
            if (char.IsHighSurrogate(text[i]))
            {
                i++;
            }
        }

        return text.Length + 1 + Math.Max(0, byteColumn - 1 - bytes);
    }

    private static int Offset(string[] lines, int first, int last, int line, int? column)
    {
        if (line > last)
        {
            return Enumerable.Range(first, last - first + 1).Sum(i => lines[i - 1].Length + 1);
        }

        var offset = 0;
        for (var i = first; i < line; i++)
        {
            offset += lines[i - 1].Length + 1;
        }

        var length = lines[line - 1].Length;
        return offset + (column is { } c ? Math.Clamp(c - 1, 0, length + 1) : length);
    }
}
