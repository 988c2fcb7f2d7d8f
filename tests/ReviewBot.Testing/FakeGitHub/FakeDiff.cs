using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// The fake's own reading of <c>git diff base...head</c> output. It is deliberately independent of the product's diff
/// parser, so that a test against the fake checks the product rather than repeating it. Hunk bodies are read by the
/// line counts in their headers, so a context line that lost its leading space (an empty line) is still read right.
/// </summary>
public static class FakeDiff
{
    public static IReadOnlyList<FakeDiffFile> Parse(string unifiedDiff)
    {
        var lines = unifiedDiff.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var files = new List<FakeDiffFile>();
        var i = 0;
        while (i < lines.Length)
        {
            if (!lines[i].StartsWith("diff --git ", StringComparison.Ordinal)) { i++; continue; }
            files.Add(ParseFile(lines, ref i));
        }
        return files;
    }

    private static FakeDiffFile ParseFile(string[] lines, ref int i)
    {
        var (gitOld, gitNew) = SplitGitHeader(lines[i]["diff --git ".Length..]);
        i++;
        string? oldPath = gitOld, newPath = gitNew, blob = null;
        var status = "modified";
        var binary = false;
        var modeOnly = true;
        for (; i < lines.Length && !lines[i].StartsWith("@@", StringComparison.Ordinal) && !lines[i].StartsWith("diff --git ", StringComparison.Ordinal); i++)
        {
            var line = lines[i];
            if (line.StartsWith("new file mode", StringComparison.Ordinal)) { status = "added"; modeOnly = false; }
            else if (line.StartsWith("deleted file mode", StringComparison.Ordinal)) { status = "removed"; modeOnly = false; }
            else if (line.StartsWith("rename from ", StringComparison.Ordinal)) { status = "renamed"; oldPath = Unquote(line["rename from ".Length..]); modeOnly = false; }
            else if (line.StartsWith("rename to ", StringComparison.Ordinal)) newPath = Unquote(line["rename to ".Length..]);
            else if (line.StartsWith("copy from ", StringComparison.Ordinal)) { status = "copied"; oldPath = Unquote(line["copy from ".Length..]); modeOnly = false; }
            else if (line.StartsWith("copy to ", StringComparison.Ordinal)) newPath = Unquote(line["copy to ".Length..]);
            else if (line.StartsWith("--- ", StringComparison.Ordinal)) { modeOnly = false; if (StripPrefix(line[4..]) is { } p) oldPath = p; }
            else if (line.StartsWith("+++ ", StringComparison.Ordinal)) { modeOnly = false; if (StripPrefix(line[4..]) is { } p) newPath = p; }
            else if (line.StartsWith("Binary files ", StringComparison.Ordinal) || line == "GIT binary patch") { binary = true; modeOnly = false; }
            else if (line.StartsWith("index ", StringComparison.Ordinal))
            {
                modeOnly = false;
                var range = line["index ".Length..].Split(' ')[0].Split("..");
                blob = range.Length == 2 ? (range[1].Trim('0').Length == 0 ? range[0] : range[1]) : null;
            }
        }
        // A file whose only change is its mode has no index line; GitHub reports it as "changed".
        if (modeOnly && status == "modified") status = "changed";

        var hunks = new List<FakeHunk>();
        var patchStart = i;
        while (i < lines.Length && lines[i].StartsWith("@@", StringComparison.Ordinal)) hunks.Add(ParseHunk(lines, ref i, hunks.Count));
        var patch = hunks.Count == 0 ? null : string.Join('\n', lines[patchStart..i]);
        // Anything else before the next file (e.g. a binary patch body) belongs to this file and is skipped.
        while (i < lines.Length && !lines[i].StartsWith("diff --git ", StringComparison.Ordinal)) i++;

        var path = newPath ?? oldPath ?? "";
        return new FakeDiffFile(path, status == "renamed" || status == "copied" ? oldPath : null, status, binary, binary ? null : patch,
            hunks, blob ?? Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(path + "\n" + patch))));
    }

    private static FakeHunk ParseHunk(string[] lines, ref int i, int index)
    {
        // "@@ -a[,b] +c[,d] @@ section"; an omitted count is 1.
        var header = lines[i];
        var parts = header.Split(' ');
        var (oldStart, oldCount) = Range(parts[1][1..]);
        var (newStart, newCount) = Range(parts[2][1..]);
        i++;
        var body = new List<FakeDiffLine>();
        int oldLine = oldStart, newLine = newStart, oldLeft = oldCount, newLeft = newCount;
        while (i < lines.Length && (oldLeft > 0 || newLeft > 0 || lines[i].StartsWith('\\')))
        {
            var line = lines[i];
            var kind = line.Length == 0 ? ' ' : line[0];
            var text = line.Length == 0 ? "" : line[1..];
            switch (kind)
            {
                case '+': body.Add(new FakeDiffLine('+', null, newLine++, text)); newLeft--; break;
                case '-': body.Add(new FakeDiffLine('-', oldLine++, null, text)); oldLeft--; break;
                case ' ': body.Add(new FakeDiffLine(' ', oldLine++, newLine++, text)); oldLeft--; newLeft--; break;
                case '\\': break; // "\ No newline at end of file": part of the patch text, not a line of either side
                default: throw new FormatException($"Unexpected line in hunk '{header}': {line}");
            }
            i++;
        }
        return new FakeHunk(index, header, oldStart, oldCount, newStart, newCount, body);

        static (int Start, int Count) Range(string s)
        {
            var comma = s.IndexOf(',');
            return comma < 0
                ? (int.Parse(s, CultureInfo.InvariantCulture), 1)
                : (int.Parse(s[..comma], CultureInfo.InvariantCulture), int.Parse(s[(comma + 1)..], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>"a/x b/x" → ("x", "x"); with spaces in the name the two halves are equal, so split in the middle.</summary>
    private static (string? Old, string? New) SplitGitHeader(string rest)
    {
        if (rest.StartsWith('"'))
        {
            var end = ClosingQuote(rest);
            return (StripPrefix(rest[..(end + 1)]), StripPrefix(rest[(end + 2)..]));
        }
        if (rest.Length % 2 == 1 && rest[rest.Length / 2] == ' ')
            return (StripPrefix(rest[..(rest.Length / 2)]), StripPrefix(rest[(rest.Length / 2 + 1)..]));
        var space = rest.IndexOf(" b/", StringComparison.Ordinal);
        return space < 0 ? (null, null) : (StripPrefix(rest[..space]), StripPrefix(rest[(space + 1)..]));
    }

    private static int ClosingQuote(string s)
    {
        for (var k = 1; k < s.Length; k++)
        {
            if (s[k] == '\\') k++;
            else if (s[k] == '"') return k;
        }
        return s.Length - 1;
    }

    /// <summary>"a/x" or "b/x" → "x"; "/dev/null" → null; handles git's C-style quoting.</summary>
    private static string? StripPrefix(string raw)
    {
        var path = Unquote(raw.TrimEnd('\t'));
        if (path == "/dev/null") return null;
        return path.Length > 2 && path[1] == '/' && (path[0] == 'a' || path[0] == 'b') ? path[2..] : path;
    }

    private static string Unquote(string raw)
    {
        if (raw.Length < 2 || raw[0] != '"' || raw[^1] != '"') return raw;
        var bytes = new List<byte>();
        for (var k = 1; k < raw.Length - 1; k++)
        {
            var c = raw[k];
            if (c != '\\') { bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString())); continue; }
            var e = raw[++k];
            if (e is >= '0' and <= '7')
            {
                bytes.Add(Convert.ToByte(raw.Substring(k, 3), 8));
                k += 2;
                continue;
            }
            bytes.Add((byte)(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'a' => '\a', 'b' => '\b', 'f' => '\f', 'v' => '\v', _ => e }));
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }
}

/// <summary>One file of a pull request's diff, as GitHub's <c>pulls/{n}/files</c> describes it.</summary>
/// <param name="Patch">The hunks from the first "@@" on, like GitHub's <c>files[].patch</c>; null for binary or hunk-less files.</param>
/// <param name="Sha">The new blob id from the index line (abbreviated as git printed it), else a stable made-up id.</param>
public sealed record FakeDiffFile(string Path, string? PreviousPath, string Status, bool IsBinary, string? Patch,
    IReadOnlyList<FakeHunk> Hunks, string Sha)
{
    public int Additions => Hunks.Sum(h => h.Lines.Count(l => l.Kind == '+'));
    public int Deletions => Hunks.Sum(h => h.Lines.Count(l => l.Kind == '-'));

    /// <summary>The hunk line a review comment may sit on: RIGHT = added or context line by new number, LEFT = removed or
    /// context line by old number; null when the line is not part of the diff on that side.</summary>
    public (FakeHunk Hunk, int Index)? Find(string side, int line)
    {
        foreach (var hunk in Hunks)
        {
            for (var k = 0; k < hunk.Lines.Count; k++)
            {
                var l = hunk.Lines[k];
                if (side == "RIGHT" ? l.NewLine == line : l.OldLine == line) return (hunk, k);
            }
        }
        return null;
    }
}

/// <summary>A hunk: its header and its lines in order; <paramref name="Index"/> is its position in the file.</summary>
public sealed record FakeHunk(int Index, string Header, int OldStart, int OldCount, int NewStart, int NewCount, IReadOnlyList<FakeDiffLine> Lines)
{
    /// <summary>The hunk text from its header down to line <paramref name="upTo"/> (GitHub's <c>diff_hunk</c> of a comment).</summary>
    public string TextUpTo(int upTo) =>
        string.Join('\n', new[] { Header }.Concat(Lines.Take(upTo + 1).Select(l => l.Kind + l.Text)));
}

/// <summary>A hunk line: '+' has only a new number, '-' only an old number, ' ' (context) both.</summary>
public sealed record FakeDiffLine(char Kind, int? OldLine, int? NewLine, string Text);
