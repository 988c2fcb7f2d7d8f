using System.Text.RegularExpressions;

namespace ReviewBot.Agent.Linting;

/// <summary>Line handling shared by the parsers.</summary>
internal static partial class OutputText
{
    /// <summary>Splits on \n, \r\n or \r.</summary>
    public static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    /// <summary>Removes terminal escape sequences (colours, cursor moves, OSC titles): gcc with
    /// -fdiagnostics-color, golangci-lint with colours forced, and so on.</summary>
    public static string StripAnsi(string line) => line.Contains('\u001B') ? AnsiEscape().Replace(line, "") : line;

    /// <summary>A line ready for matching or for <see cref="ParseResult.Unexpected"/>: no escapes, no trailing blanks.</summary>
    public static string Clean(string line) => StripAnsi(line).TrimEnd();

    /// <summary>Every non-blank line of <paramref name="text"/>, cleaned.</summary>
    public static IEnumerable<string> NonBlankLines(string text) =>
        Lines(text).Select(Clean).Where(line => line.Length > 0);

    /// <summary>The result for a document that could not be read at all: a first line saying what failed,
    /// then every non-blank line of the input, so nothing is lost.</summary>
    public static ParseResult Malformed(string reason, string text) => new([], [reason, .. NonBlankLines(text)]);

    [GeneratedRegex(@"\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])")]
    private static partial Regex AnsiEscape();
}
