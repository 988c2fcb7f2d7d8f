using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Core.Review;

/// <summary>The text of one line comment: linter, rule and severity, the message, and the hidden marker on its own
/// last line (<see cref="FingerprintMarker"/>), which is how later runs recognise their own comments.</summary>
public static class CommentBody
{
    /// <summary>Messages longer than this are cut (GitHub allows 65,536 characters; nobody reads that on a line).</summary>
    public const int MaxMessage = 8_000;

    /// <param name="markup">How the host writes a suggestion (<see cref="PlannedFinding.Suggestion"/>), when there is one.</param>
    public static string Render(string linter, PlannedFinding planned, SuggestionMarkup markup = SuggestionMarkup.CommentRange)
    {
        var f = planned.Finding;
        var rule = f.Rule is { Length: > 0 } r ? $" `{r}`" : "";
        var message = f.Message.Length <= MaxMessage ? f.Message : f.Message[..MaxMessage] + "…";
        var suggestion = planned.Suggestion is { } fix ? Suggestion(fix, markup) + "\n" : "";
        return $"**[{linter}]**{rule} {FindingText.Name(f.Severity)}: {message}\n\n{suggestion}{FingerprintMarker.Render(planned.Fingerprint, linter)}";
    }

    /// <summary>A suggestion block: the new lines in a fence longer than any run of backticks they hold.</summary>
    public static string Suggestion(FindingFix fix, SuggestionMarkup markup)
    {
        var fence = new string('`', Math.Max(3, LongestBacktickRun(fix.Text) + 1));
        var info = markup == SuggestionMarkup.RelativeRange ? $"suggestion:-{fix.EndLine - fix.StartLine}+0" : "suggestion";
        return $"{fence}{info}\n{fix.Text}{fence}\n";
    }

    private static int LongestBacktickRun(string text)
    {
        int longest = 0, run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    /// <summary>The line a comment gets when its finding is gone but people replied to it, so it stays.</summary>
    public const string OutdatedNote = "**Outdated**: this finding is no longer reported.";

    public static string MarkOutdated(string body) => IsMarkedOutdated(body) ? body : $"{OutdatedNote}\n\n{body}";

    public static bool IsMarkedOutdated(string body) => body.StartsWith(OutdatedNote, StringComparison.Ordinal);
}

/// <summary>How a code host writes a suggested change in a line comment.</summary>
public enum SuggestionMarkup
{
    /// <summary><c>```suggestion</c>: replaces the lines the comment spans (<c>start_line</c>..<c>line</c>).</summary>
    CommentRange,
    /// <summary><c>```suggestion:-N+M</c>: replaces N lines above to M lines below the line the comment sits on.</summary>
    RelativeRange,
}
