using System.Text.RegularExpressions;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// The patterns of event triggers, compiled the same way where they are validated and where they are matched: branch
/// regexes (.NET syntax, case-sensitive, with a match timeout so a pathological pattern cannot stall a webhook), and
/// tag patterns, a glob (<c>v*</c>, <c>release-?.?</c>) or a regex between slashes (<c>/^v\d+$/</c>).
/// </summary>
public static class JobPatterns
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Throws <see cref="ArgumentException"/> for a regex that does not compile.</summary>
    public static Regex Branch(string pattern) => new(pattern, RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>The regex a tag pattern means: a glob matches the whole tag ('*' any run, '?' one character); "/re/" is re.</summary>
    public static Regex Tag(string pattern) =>
        pattern.Length >= 2 && pattern[0] == '/' && pattern[^1] == '/'
            ? new Regex(pattern[1..^1], RegexOptions.CultureInvariant, MatchTimeout)
            : new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>Null when the regex compiles; otherwise what is wrong.</summary>
    internal static string? Check(Func<Regex> compile, string pattern)
    {
        try
        {
            compile();
            return null;
        }
        catch (ArgumentException e)
        {
            return $"'{pattern}' is not a valid regular expression: {e.Message}";
        }
    }
}
