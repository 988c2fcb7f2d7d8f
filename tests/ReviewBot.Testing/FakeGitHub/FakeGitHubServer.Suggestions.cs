using System.Text.RegularExpressions;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Suggested changes in review comments, as GitHub treats them: a <c>```suggestion</c> block (any fence of three or
/// more backticks, closed by the same fence) proposes new text for the lines the comment spans,
/// <c>start_line</c>..<c>line</c> (just <c>line</c> without a start), on the head side. "Commit suggestion"
/// (<see cref="CommitSuggestion"/>) replaces exactly those lines. GitHub can apply a suggestion only on the RIGHT
/// side and only while the comment is not outdated; the fake refuses a LEFT-side suggestion when it is posted (GitHub
/// would accept the comment and offer no button), so a test catches a suggestion nobody could apply.
/// </summary>
public sealed partial class FakeGitHubServer
{
    public const string LeftSideSuggestion = "Suggestions can only be made on the right side of the diff"; // wording: the fake's own

    /// <summary>The new text of each suggestion block in <paramref name="body"/>, each line ended by '\n'.</summary>
    public static IReadOnlyList<string> Suggestions(string body)
    {
        var found = new List<string>();
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var open = SuggestionFence().Match(lines[i]);
            if (!open.Success) continue;
            var fence = open.Groups["fence"].Value;
            var text = new System.Text.StringBuilder();
            var j = i + 1;
            for (; j < lines.Length && lines[j] != fence; j++) text.Append(lines[j]).Append('\n');
            if (j == lines.Length) break; // unclosed: GitHub shows it as code, not as a suggestion
            found.Add(text.ToString());
            i = j;
        }
        return found;
    }

    /// <summary>What "Commit suggestion" makes of <paramref name="fileText"/> (the file at the comment's head): the
    /// comment's lines replaced by its one suggestion. Throws where GitHub offers no button: no suggestion or several,
    /// an outdated comment (no <c>line</c>), a LEFT-side comment, lines past the end of the file.</summary>
    public static string CommitSuggestion(ReviewComment comment, string fileText)
    {
        var suggestions = Suggestions(comment.Body);
        if (suggestions.Count != 1) throw new InvalidOperationException($"Comment {comment.Id} has {suggestions.Count} suggestion blocks; one can be committed.");
        if (comment.Line is not { } end) throw new InvalidOperationException($"Comment {comment.Id} is outdated: its suggestion cannot be applied.");
        if (comment.Side != "RIGHT" || comment.StartSide is "LEFT") throw new InvalidOperationException(LeftSideSuggestion);
        var start = comment.StartLine ?? end;
        var endsWithNewline = fileText.EndsWith('\n');
        var lines = (endsWithNewline ? fileText[..^1] : fileText).Split('\n').ToList();
        if (end > lines.Count) throw new InvalidOperationException($"Line {end} is past the end of {comment.Path}.");
        lines.RemoveRange(start - 1, end - start + 1);
        var replacement = suggestions[0];
        lines.InsertRange(start - 1, replacement.Length == 0 ? [] : replacement[..^1].Split('\n'));
        return string.Join('\n', lines) + (endsWithNewline ? "\n" : "");
    }

    [GeneratedRegex(@"^(?<fence>`{3,})suggestion\s*$")]
    private static partial Regex SuggestionFence();
}
