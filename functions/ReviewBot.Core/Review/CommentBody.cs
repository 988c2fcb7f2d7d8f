using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Core.Review;

/// <summary>The text of one line comment: linter, rule and severity, the message, and the hidden marker on its own
/// last line (<see cref="FingerprintMarker"/>), which is how later runs recognise their own comments.</summary>
public static class CommentBody
{
    /// <summary>Messages longer than this are cut (GitHub allows 65,536 characters; nobody reads that on a line).</summary>
    public const int MaxMessage = 8_000;

    public static string Render(string linter, PlannedFinding planned)
    {
        var f = planned.Finding;
        var rule = f.Rule is { Length: > 0 } r ? $" `{r}`" : "";
        var message = f.Message.Length <= MaxMessage ? f.Message : f.Message[..MaxMessage] + "…";
        return $"**[{linter}]**{rule} {FindingText.Name(f.Severity)}: {message}\n\n{FingerprintMarker.Render(planned.Fingerprint, linter)}";
    }

    /// <summary>The line a comment gets when its finding is gone but people replied to it, so it stays.</summary>
    public const string OutdatedNote = "**Outdated**: this finding is no longer reported.";

    public static string MarkOutdated(string body) => IsMarkedOutdated(body) ? body : $"{OutdatedNote}\n\n{body}";

    public static bool IsMarkedOutdated(string body) => body.StartsWith(OutdatedNote, StringComparison.Ordinal);
}
