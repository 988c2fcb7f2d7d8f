using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>GitHub's <c>X-Hub-Signature-256</c>: "sha256=" + hex HMAC-SHA256 of the exact body bytes, compared in constant time.</summary>
public static class WebhookSignature
{
    public const string Prefix = "sha256=";

    public static string Compute(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>"sha256=" and 64 hex digits: checked before the body is read, so a sender without the secret cannot
    /// make the app buffer a body.</summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? header) =>
        header is not null && header.StartsWith(Prefix, StringComparison.Ordinal) && header.Length == Prefix.Length + 64
        && !header.AsSpan(Prefix.Length).ContainsAnyExcept(HexDigits);

    public static bool IsValid(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (!IsWellFormed(header)) return false;
        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), given, out _, out var written) != OperationStatus.Done || written != 32) return false;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
