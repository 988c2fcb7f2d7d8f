using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ReviewBot.Core.Review.Diffs;

/// <summary>
/// The hidden line <c>&lt;!-- reviewbot:fp=0123456789abcdef linter=shellcheck --&gt;</c> every posted comment carries:
/// the finding's fingerprint and the linter that owns the comment (only that linter's runs may remove it). The linter
/// name is URI-escaped so the marker stays one token. It is read only when it stands on a line of its own, exactly
/// as rendered: a reply that quotes the comment (<c>&gt; &lt;!-- reviewbot:fp=… --&gt;</c>), prose or code that
/// mentions <c>reviewbot:fp=</c>, or another bot's marker does not count.
/// </summary>
public static partial class FingerprintMarker
{
    public static string Render(string fingerprint, string linter)
    {
        if (!Hex().IsMatch(fingerprint))
            throw new ArgumentException($"A fingerprint is {Fingerprint.Length} lowercase hex characters.", nameof(fingerprint));
        ArgumentException.ThrowIfNullOrWhiteSpace(linter);
        return $"<!-- reviewbot:fp={fingerprint} linter={Uri.EscapeDataString(linter)} -->";
    }

    public static bool TryRead(string? commentBody, [NotNullWhen(true)] out string? fingerprint, [NotNullWhen(true)] out string? linter)
    {
        var m = commentBody is null ? Match.Empty : Marker().Match(commentBody);
        fingerprint = m.Success ? m.Groups[1].Value : null;
        linter = m.Success ? Uri.UnescapeDataString(m.Groups[2].Value) : null;
        return m.Success;
    }

    [GeneratedRegex("^[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex Hex();

    [GeneratedRegex(@"^<!-- reviewbot:fp=([0-9a-f]{16}) linter=([A-Za-z0-9%._~-]+) -->\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Marker();
}
