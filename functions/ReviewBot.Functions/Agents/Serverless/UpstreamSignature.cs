using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Functions.Agents.Serverless;

/// <summary>
/// <c>X-ASRS-Signature: sha256=HEX(HMACSHA256(accessKey, connectionId))[,sha256=…]</c>, one entry per key the
/// service holds: valid when any entry matches any key configured here. Compared case-insensitively and in
/// constant time.
/// </summary>
public static class UpstreamSignature
{
    public static string For(string accessKey, string connectionId) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessKey), Encoding.UTF8.GetBytes(connectionId)));

    public static bool IsValid(string? connectionId, string? header, IEnumerable<string> accessKeys)
    {
        if (string.IsNullOrEmpty(connectionId) || string.IsNullOrEmpty(header)) return false;
        var given = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => Encoding.ASCII.GetBytes(s.ToUpperInvariant())).ToList();
        var ok = false;
        foreach (var key in accessKeys)
        {
            var expected = Encoding.ASCII.GetBytes(For(key, connectionId).ToUpperInvariant());
            foreach (var g in given) ok |= CryptographicOperations.FixedTimeEquals(g, expected);
        }
        return ok;
    }
}
