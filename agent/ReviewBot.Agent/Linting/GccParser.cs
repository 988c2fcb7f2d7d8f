using System.Text;
using System.Text.RegularExpressions;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Linting;

/// <summary>
/// The <c>file:line[:col]: [severity:] message [rule]</c> family: gcc/clang, golangci-lint's line-number format,
/// shellcheck <c>-f gcc</c>, pylint with a <c>{path}:{line}:{column}: {category}: {msg} [{symbol}]</c> template.
/// <list type="bullet">
/// <item>A line that does not start a finding continues the previous finding's message (gcc's source and caret
/// lines, golangci-lint's issued lines). A blank line, a new finding or a gcc context header ends it, except a
/// blank line inside an open <c>`</c> quote or parenthesis (gocritic quoting a string literal that holds an empty line): that one
/// is part of the message, and the rule then comes from the end of the message's last line.</item>
/// <item><c>file:line:col: </c> with nothing after it is a finding with an empty message.</item>
/// <item>Lines before the first finding, and lines after a blank line that do not start a finding, are unexpected.</item>
/// <item>gcc's context headers (<c>t.c: In function ‘f’:</c>, <c>In file included from …</c>) are understood and
/// skipped: the findings that follow carry their own location.</item>
/// <item>Severity comes from an <c>error:</c>/<c>warning:</c>/<c>note:</c>/<c>info:</c> prefix (also <c>fatal error:</c>,
/// pylint's <c>convention:</c>/<c>refactor:</c>); without one it is Warning.</item>
/// <item>The rule comes from a trailing <c>[SC2086]</c>/<c>[-Wunused-variable]</c>, or else a trailing
/// <c>(errcheck)</c> as golangci-lint prints it (a lower-case identifier after a space, so "(1/2)" or
/// "(first use in this function)" stay part of the message).</item>
/// </list>
/// </summary>
internal static partial class GccParser
{
    public static ParseResult Parse(string output, PathNormalizer paths)
    {
        var findings = new List<Finding>();
        var unexpected = new List<string>();
        PendingFinding? current = null;

        foreach (var raw in OutputText.Lines(output))
        {
            var line = OutputText.Clean(raw);
            if (line.Length == 0 && current is { InOpenQuote: true })
            {
                current.BlankLines++;
                continue;
            }

            if (line.Length == 0 || IsContextHeader(line))
            {
                Flush();
                continue;
            }

            if (TryStartFinding(line, paths, out var started))
            {
                Flush();
                current = started;
            }
            else if (current is not null)
            {
                current.Continue(line);
            }
            else
            {
                unexpected.Add(line);
            }
        }

        Flush();
        return new ParseResult(findings, unexpected);

        void Flush()
        {
            if (current is not null)
            {
                findings.Add(current.ToFinding());
                current = null;
            }
        }
    }

    private static bool TryStartFinding(string line, PathNormalizer paths, out PendingFinding? finding)
    {
        finding = null;
        var match = FindingLine().Match(line);
        if (!match.Success
            || !int.TryParse(match.Groups["line"].ValueSpan, out var lineNumber)
            || !LooksLikePath(match.Groups["file"].Value))
        {
            return false;
        }

        int? column = null;
        if (match.Groups["col"].Success)
        {
            if (!int.TryParse(match.Groups["col"].ValueSpan, out var col))
            {
                return false;
            }

            column = col == 0 ? null : col; // 0 means "unknown" in Finding (pylint's columns are 0-based).
        }

        var message = match.Groups["msg"].Value.Trim();
        var severity = Severity.Warning;
        var prefix = SeverityPrefix().Match(message);
        if (prefix.Success)
        {
            severity = prefix.Groups["sev"].Value.ToLowerInvariant() switch
            {
                "error" or "fatal error" or "fatal" => Severity.Error,
                "warning" => Severity.Warning,
                _ => Severity.Info,
            };
            message = message[prefix.Length..];
        }

        var (rule, text) = SplitRule(message);
        finding = new PendingFinding(paths.Normalize(match.Groups["file"].Value), lineNumber, column, severity, rule, text.Trim());
        return true;
    }

    /// <summary>A trailing <c>[rule]</c> or <c> (linter)</c> taken off <paramref name="message"/>; a message that is
    /// nothing but the rule keeps it as its text.</summary>
    private static (string? Rule, string Message) SplitRule(string message)
    {
        var ruleMatch = BracketRule().Match(message);
        if (!ruleMatch.Success)
        {
            ruleMatch = LinterNameRule().Match(message);
        }

        return ruleMatch.Success && ruleMatch.Index > 0 ? (ruleMatch.Groups["rule"].Value, message[..ruleMatch.Index]) : (null, message);
    }

    /// <summary>
    /// Guards against prose that happens to contain <c>word:12:</c>. A file name may contain spaces only when the
    /// path is rooted (<c>/home/me/My Project/a.c</c>, <c>C:\My Docs\a.c</c>, <c>./my dir/a.c</c>) or its first
    /// directory has none (<c>src/my file.c</c>); that rejects "In file included from t.c" and similar sentences.
    /// </summary>
    private static bool LooksLikePath(string file)
    {
        if (file.Length == 0 || char.IsWhiteSpace(file[0]) || file.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (!file.Contains(' '))
        {
            return true;
        }

        var rooted = file[0] is '/' or '\\' or '~' or '.' || (file.Length > 2 && char.IsAsciiLetter(file[0]) && file[1] == ':');
        if (rooted)
        {
            return true;
        }

        var separator = file.IndexOfAny(['/', '\\']);
        return separator > 0 && !file[..separator].Contains(' ');
    }

    private static bool IsContextHeader(string line) =>
        IncludedFrom().IsMatch(line) || IncludedFromContinuation().IsMatch(line) || ScopeHeader().IsMatch(line);

    private sealed class PendingFinding(string file, int line, int? column, Severity severity, string? rule, string message)
    {
        private readonly StringBuilder _text = new(message);

        /// <summary>The first line left a quote or parenthesis open, so the rule (if any) ends the last line instead.</summary>
        private readonly bool _quoteOpenAtFirstLine = rule is null && IsOpen(message);

        /// <summary>Blank lines seen inside an open quote, written only when the message goes on after them.</summary>
        public int BlankLines { get; set; }

        public bool InOpenQuote => IsOpen(_text.ToString());

        /// <summary>An odd number of <c>`</c>, or more <c>(</c> than <c>)</c>: the message quotes code that goes on.</summary>
        private static bool IsOpen(string text) =>
            text.Count(c => c == '`') % 2 == 1 || text.Count(c => c == '(') > text.Count(c => c == ')');

        public void Continue(string line)
        {
            if (_text.Length > 0 || BlankLines > 0) _text.Append('\n');
            _text.Append('\n', BlankLines);
            BlankLines = 0;
            _text.Append(line);
        }

        public Finding ToFinding()
        {
            var (found, text) = _quoteOpenAtFirstLine ? SplitRule(_text.ToString()) : (rule, _text.ToString());
            return new(file, line, column, null, severity, found, _quoteOpenAtFirstLine ? text.TrimEnd() : text);
        }
    }

    // file (optionally behind a drive letter; no other ':'), line, optional column, then the message.
    [GeneratedRegex(@"^(?<file>(?:[A-Za-z]:[\\/])?[^:]+?):(?<line>\d+)(?::(?<col>\d+))?:(?:\s*(?<msg>\S.*)|\s*)$")]
    private static partial Regex FindingLine();

    [GeneratedRegex(@"^(?<sev>fatal error|error|warning|note|info|information|hint|style|convention|refactor|fatal)\s*:\s*", RegexOptions.IgnoreCase)]
    private static partial Regex SeverityPrefix();

    [GeneratedRegex(@"\s*\[(?<rule>[^\[\]\s]+)\]$")]
    private static partial Regex BracketRule();

    [GeneratedRegex(@"\s+\((?<rule>[a-z][a-z0-9_-]*)\)$")]
    private static partial Regex LinterNameRule();

    [GeneratedRegex(@"^In file included from .+:\d+(?::\d+)?[:,]$")]
    private static partial Regex IncludedFrom();

    [GeneratedRegex(@"^\s+from .+:\d+(?::\d+)?[:,]$")]
    private static partial Regex IncludedFromContinuation();

    [GeneratedRegex(@"^(?:[A-Za-z]:[\\/])?[^:]+: (?:In [a-z ]*(?:function|constructor|destructor|instantiation of|substitution of)|At (?:top level|global scope))\b.*:$")]
    private static partial Regex ScopeHeader();
}
