using System.Text;
using System.Text.RegularExpressions;

namespace ReviewBot.Functions.Jobs.Triggers;

/// <summary>
/// The patterns event triggers match: branch regexes (pr-merged, push) and tag patterns (tag-created). Every pattern
/// must match the whole name: <c>main</c> does not match <c>not-main</c>; write <c>.*main</c> for that. A null or empty
/// pattern matches anything. A pattern that is not valid never matches (the catalog reports it when the job is saved).
/// </summary>
public static class TriggerPatterns
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>A .NET regex matched against the whole branch name.</summary>
    public static bool BranchMatches(string? pattern, string branch) =>
        string.IsNullOrEmpty(pattern) || WholeRegex(pattern) is { } re && SafeMatch(re, branch);

    /// <summary><c>/regex/</c> (whole name), else a glob: <c>*</c> any run of characters, <c>?</c> one character.</summary>
    public static bool TagMatches(string? pattern, string tag)
    {
        if (string.IsNullOrEmpty(pattern)) return true;
        var re = pattern.Length >= 2 && pattern[0] == '/' && pattern[^1] == '/'
            ? WholeRegex(pattern[1..^1])
            : new Regex(GlobToRegex(pattern), RegexOptions.CultureInvariant, MatchTimeout);
        return re is not null && SafeMatch(re, tag);
    }

    /// <summary>Why a pattern is not usable, or null when it is (for validation by whoever stores jobs).</summary>
    public static string? Problem(string? regex)
    {
        if (string.IsNullOrEmpty(regex)) return null;
        try
        {
            _ = new Regex(regex, RegexOptions.CultureInvariant);
            return null;
        }
        catch (ArgumentException e) { return e.Message; }
    }

    internal static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        foreach (var c in glob)
            sb.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        return sb.Append('$').ToString();
    }

    private static Regex? WholeRegex(string pattern)
    {
        try { return new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, MatchTimeout); }
        catch (ArgumentException) { return null; }
    }

    private static bool SafeMatch(Regex re, string input)
    {
        try { return re.IsMatch(input); }
        catch (RegexMatchTimeoutException) { return false; }
    }
}
