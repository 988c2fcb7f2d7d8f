using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace ReviewBot.Core.Jobs;

/// <summary>
/// A pattern of an event trigger, parsed once into the regex that is matched: branch patterns (pr-merged, push) are
/// .NET regexes, tag patterns (tag-created) a glob (<c>v*</c>, <c>release-?.?</c>: <c>*</c> any run, <c>?</c> one
/// character, everything else literal) or a regex between slashes (<c>/v\d+/</c>). Every pattern matches the whole
/// name: <c>main</c> does not match <c>not-main</c>; write <c>.*main</c> for that. A null or empty pattern matches
/// anything. Matching is case-sensitive and culture-invariant, with a timeout so a pathological pattern cannot stall
/// a webhook (a timed-out match is no match).
/// </summary>
/// <remarks>
/// Invariant: the validator accepts a pattern exactly when this type compiles the anchored regex the matcher uses, so a
/// pattern that is saved can fire. A regex that compiles alone but not inside <c>^(?:…)$</c> (a <c>#</c> comment under
/// <c>(?x)</c> runs to the end of the line and swallows the closing anchor) is refused rather than never matching.
/// </remarks>
public sealed class TriggerPattern
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The pattern of a trigger that names none: it matches every name.</summary>
    public static TriggerPattern Any { get; } = new("", null);

    private readonly Regex? _regex;

    private TriggerPattern(string text, Regex? regex)
    {
        Text = text;
        _regex = regex;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>A branch pattern: a .NET regex matched against the whole branch name.</summary>
    public static bool TryParseBranch(string? text, [NotNullWhen(true)] out TriggerPattern? pattern, [NotNullWhen(false)] out string? problem) =>
        TryParseRegex(text, text, out pattern, out problem);

    /// <summary>A tag pattern: <c>/regex/</c> matched against the whole tag, else a glob.</summary>
    public static bool TryParseTag(string? text, [NotNullWhen(true)] out TriggerPattern? pattern, [NotNullWhen(false)] out string? problem)
    {
        if (text is { Length: >= 2 } && text[0] == '/' && text[^1] == '/')
            return TryParseRegex(text, text[1..^1], out pattern, out problem);
        problem = null;
        pattern = string.IsNullOrEmpty(text) ? Any : new TriggerPattern(text, new Regex(GlobToRegex(text), RegexOptions.CultureInvariant, MatchTimeout));
        return true;
    }

    /// <summary>Whether <paramref name="branch"/> matches <paramref name="pattern"/>; an invalid pattern matches nothing.</summary>
    public static bool BranchMatches(string? pattern, string branch) => TryParseBranch(pattern, out var p, out _) && p.Matches(branch);

    /// <summary>Whether <paramref name="tag"/> matches <paramref name="pattern"/>; an invalid pattern matches nothing.</summary>
    public static bool TagMatches(string? pattern, string tag) => TryParseTag(pattern, out var p, out _) && p.Matches(tag);

    /// <summary>Whether the whole of <paramref name="name"/> matches; false when the match times out.</summary>
    public bool Matches(string name)
    {
        if (_regex is null) return true;
        try { return _regex.IsMatch(name); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    public override string ToString() => Text;

    /// <param name="text">The pattern as written (for messages).</param>
    /// <param name="regex">The regex part of it.</param>
    private static bool TryParseRegex(string? text, string? regex, [NotNullWhen(true)] out TriggerPattern? pattern, [NotNullWhen(false)] out string? problem)
    {
        pattern = null;
        problem = null;
        if (string.IsNullOrEmpty(text) || regex is null)
        {
            pattern = Any;
            return true;
        }

        // The message names the pattern as written and an offset in it, so it comes from compiling it alone.
        try
        {
            _ = new Regex(regex, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            problem = $"'{text}' is not a valid regular expression: {e.Message}";
            return false;
        }

        try
        {
            pattern = new TriggerPattern(text, new Regex($"^(?:{regex})$", RegexOptions.CultureInvariant, MatchTimeout));
            return true;
        }
        catch (ArgumentException)
        {
            problem = $"'{text}' cannot match a whole name: inside ^(?:…)$ it does not compile (a '#' comment under (?x) runs to the end of the line; end it with a newline)";
            return false;
        }
    }

    private static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        foreach (var c in glob)
            sb.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        return sb.Append('$').ToString();
    }
}
