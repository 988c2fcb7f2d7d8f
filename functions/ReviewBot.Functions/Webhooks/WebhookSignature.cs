using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Functions.Webhooks;

/// <summary>GitHub's <c>X-Hub-Signature-256</c>: "sha256=" + hex HMAC-SHA256 of the exact body bytes, compared in constant time.</summary>
public static class WebhookSignature
{
    public const string Prefix = "sha256=";

    public static string Compute(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool IsValid(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var hex = header.AsSpan(Prefix.Length);
        if (hex.Length != 64) return false;
        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(hex, given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
