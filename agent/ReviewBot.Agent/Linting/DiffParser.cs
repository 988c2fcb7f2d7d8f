using System.Text.RegularExpressions;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Linting;

/// <summary>
/// <c>format: diff</c>: the unified diff a formatter prints between a file and its formatted text (<c>gofmt -d</c>,
/// <c>shfmt -d</c>, <c>black --diff</c>, <c>git diff</c> after a formatter ran). The old side is the checkout.
/// <list type="bullet">
/// <item>Each run of changed lines in a hunk (removed and added lines between context lines) is one finding on the
/// removed lines, whose fix is the added lines: smaller than a hunk, so each suggestion stays on lines a pull request
/// changed. A run that only adds lines is attached to the context line before it (or after it, at a hunk's start).</item>
/// <item>The file is the <c>+++</c> path: a tab and what follows (black's timestamps) is cut, and <c>a/</c>/<c>b/</c>
/// prefixes are dropped when both sides have them (git). A file whose new side is <c>/dev/null</c> is skipped.</item>
/// <item>Header lines (<c>diff …</c>, <c>index …</c>, git's mode and rename lines) are understood; any other line
/// outside a hunk (black's "would reformat", "1 file would be reformatted") is unexpected.</item>
/// </list>
/// Findings are warnings without a rule; the message says the lines are not formatted.
/// </summary>
internal static partial class DiffParser
{
    public const string Message = "Not formatted: the formatter rewrites these lines (see the suggested change).";

    public static ParseResult Parse(string output, PathNormalizer paths)
    {
        var findings = new List<Finding>();
        var unexpected = new List<string>();
        string? oldPath = null;
        string? file = null;
        Hunk? hunk = null;

        foreach (var raw in OutputText.Lines(output))
        {
            var line = OutputText.StripAnsi(raw).TrimEnd('\r');
            if (hunk is not null && hunk.Wants(line))
            {
                hunk.Add(line);
                if (hunk.Done)
                {
                    findings.AddRange(hunk.Findings(file));
                    hunk = null;
                }

                continue;
            }

            if (hunk is not null)
            {
                findings.AddRange(hunk.Findings(file));
                hunk = null;
            }

            if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                oldPath = PathOf(line);
            }
            else if (line.StartsWith("+++ ", StringComparison.Ordinal))
            {
                var newPath = PathOf(line);
                if (oldPath is not null && oldPath.StartsWith("a/", StringComparison.Ordinal) && newPath.StartsWith("b/", StringComparison.Ordinal))
                {
                    newPath = newPath[2..];
                }

                file = newPath == "/dev/null" ? null : paths.Normalize(newPath);
            }
            else if (HunkHeader().Match(line) is { Success: true } header)
            {
                hunk = new Hunk(int.Parse(header.Groups["old"].ValueSpan), header.Groups["oldCount"].Success ? int.Parse(header.Groups["oldCount"].ValueSpan) : 1,
                    header.Groups["newCount"].Success ? int.Parse(header.Groups["newCount"].ValueSpan) : 1);
            }
            else if (line.Trim().Length > 0 && !GitHeader().IsMatch(line))
            {
                unexpected.Add(OutputText.Clean(line));
            }
        }

        if (hunk is not null)
        {
            findings.AddRange(hunk.Findings(file));
        }

        return new ParseResult(findings, unexpected);
    }

    private static string PathOf(string line)
    {
        var path = line[4..];
        var tab = path.IndexOf('\t', StringComparison.Ordinal);
        return (tab >= 0 ? path[..tab] : path).Trim();
    }

    /// <summary>One hunk's body: each line with its kind and old-side number.</summary>
    private sealed class Hunk(int oldStart, int oldCount, int newCount)
    {
        private readonly List<(char Kind, string Text, int OldLine)> _lines = [];
        private int _old = oldStart, _oldSeen, _newSeen;

        public bool Done => _oldSeen >= oldCount && _newSeen >= newCount;

        public bool Wants(string line) => !Done && line.Length > 0 ? line[0] is ' ' or '-' or '+' or '\\' : !Done && line.Length == 0;

        public void Add(string line)
        {
            var kind = line.Length == 0 ? ' ' : line[0]; // some tools drop the space of an empty context line
            var text = line.Length == 0 ? "" : line[1..];
            switch (kind)
            {
                case '\\':
                    return; // "\ No newline at end of file"
                case ' ':
                    _lines.Add((kind, text, _old++));
                    _oldSeen++;
                    _newSeen++;
                    break;
                case '-':
                    _lines.Add((kind, text, _old++));
                    _oldSeen++;
                    break;
                default:
                    _lines.Add((kind, text, 0));
                    _newSeen++;
                    break;
            }
        }

        public IEnumerable<Finding> Findings(string? file)
        {
            if (file is null)
            {
                yield break;
            }

            var i = 0;
            while (i < _lines.Count)
            {
                if (_lines[i].Kind == ' ')
                {
                    i++;
                    continue;
                }

                var start = i;
                while (i < _lines.Count && _lines[i].Kind != ' ')
                {
                    i++;
                }

                var run = _lines[start..i];
                var removed = run.Where(l => l.Kind == '-').ToList();
                var added = run.Where(l => l.Kind == '+').Select(l => l.Text).ToList();
                FindingFix? fix;
                if (removed.Count > 0)
                {
                    fix = new FindingFix(removed[0].OldLine, removed[^1].OldLine, string.Concat(added.Select(t => t + "\n")));
                }
                else if (start > 0)
                {
                    var before = _lines[start - 1];
                    fix = new FindingFix(before.OldLine, before.OldLine, string.Concat(new[] { before.Text }.Concat(added).Select(t => t + "\n")));
                }
                else if (i < _lines.Count)
                {
                    var after = _lines[i];
                    fix = new FindingFix(after.OldLine, after.OldLine, string.Concat(added.Append(after.Text).Select(t => t + "\n")));
                }
                else
                {
                    continue; // only added lines, nothing to attach them to (a new file)
                }

                yield return new Finding(file, fix.StartLine, null, fix.EndLine > fix.StartLine ? fix.EndLine : null, Severity.Warning, null, Message) { Fix = fix };
            }
        }
    }

    [GeneratedRegex(@"^@@ -(?<old>\d+)(?:,(?<oldCount>\d+))? \+(?<new>\d+)(?:,(?<newCount>\d+))? @@")]
    private static partial Regex HunkHeader();

    [GeneratedRegex(@"^(?:diff |index |old mode |new mode |deleted file mode |new file mode |similarity index |dissimilarity index |rename from |rename to |copy from |copy to |Binary files )")]
    private static partial Regex GitHeader();
}
