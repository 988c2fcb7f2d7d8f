using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Core.Review.Diffs;

/// <summary>
/// A finding's identity across pushes: 16 lowercase hex characters of SHA-256 over linter, file, rule, the
/// normalised message and, when known, the text of its line — never over line numbers, column or severity, so a finding that moved keeps its fingerprint.
/// Normalising trims and collapses whitespace and replaces numbers that read as positions (<c>line 12</c>,
/// <c>col 3</c>, <c>:12:3</c>, <c>(12,3)</c>, <c>L12-L14</c>) with <c>#</c>. Other numbers stay: "130 &gt; 120
/// characters" is part of what the finding says. The input is a canonical text, not a serialised object
/// (reviewdog's hash of a protobuf encoding was not stable).
/// </summary>
public static partial class Fingerprint
{
    public const int Length = 16;

    /// <param name="lineText">The text of the finding's line when the diff shows it: it moves with the line, and it
    /// tells apart one message repeated on different lines (the same warning for <c>$1</c> and <c>$2</c>), so fixing
    /// one leaves the other's comment in place.</param>
    public static string Of(string linter, Finding finding, string? lineText = null)
    {
        var canonical = string.Join('\n',
            linter.Trim(), ChangedLines.Normalize(finding.File), finding.Rule?.Trim() ?? "", NormalizeMessage(finding.Message));
        if (lineText is not null) canonical += "\n" + Whitespace().Replace(lineText.Trim(), " ");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(hash)[..Length];
    }

    /// <summary>The fingerprint of the <paramref name="n"/>-th (0-based) finding that shares <paramref name="fingerprint"/>
    /// in one run: the first keeps it, later ones get a derived one.</summary>
    public static string Occurrence(string fingerprint, int n) => n == 0 ? fingerprint
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{fingerprint}#{n}")))[..Length];

    public static string NormalizeMessage(string message)
    {
        var text = Whitespace().Replace(message.Trim(), " ");
        text = WordPosition().Replace(text, m => m.Groups[1].Value + " #");
        text = ColonPosition().Replace(text, ":#");
        text = ParenPosition().Replace(text, "(#)");
        return AnchorPosition().Replace(text, "L#");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>"line 12", "lines 3-4", "Line: 7", "col 5", "column 9", "row 2".</summary>
    [GeneratedRegex(@"\b(lines?|ln|columns?|cols?|rows?|char(?:acter)?s?)\b\.?:?\s*\d+(?:\s*[-–,]\s*\d+)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WordPosition();

    /// <summary>"foo.cs:12", "foo.cs:12:3" (the number after a colon, not a time like 12:30 — that one has
    /// no file in front, but is rare enough in lint messages to accept).</summary>
    [GeneratedRegex(@"(?<=\S):\d+(?::\d+)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex ColonPosition();

    /// <summary>MSBuild style "(12,3)" and "(12,3,12,9)".</summary>
    [GeneratedRegex(@"\(\d+(?:,\d+){1,3}\)", RegexOptions.CultureInvariant)]
    private static partial Regex ParenPosition();

    /// <summary>GitHub anchors "L12" and "L12-L14".</summary>
    [GeneratedRegex(@"\bL\d+(?:-L?\d+)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex AnchorPosition();
}
