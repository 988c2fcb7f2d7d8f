using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Functions.Reminders.Chat.Feishu;

/// <summary>
/// Feishu/Lark signatures. Outgoing (custom bot): HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message, Base64,
/// with the timestamp in seconds; both go in the JSON body. Incoming (event callbacks): <c>X-Lark-Signature</c> is the hex
/// SHA-256 of timestamp + nonce + encrypt key + body.
/// </summary>
public static class FeishuSignature
{
    /// <summary>How far the platform lets a signed timestamp be from its clock.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static string Sign(long timestampSeconds, string secret)
    {
        var key = Encoding.UTF8.GetBytes(timestampSeconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret);
        return Convert.ToBase64String(HMACSHA256.HashData(key, Array.Empty<byte>()));
    }

    /// <summary>The hex signature of an event callback.</summary>
    public static string EventSignature(string timestamp, string nonce, string encryptKey, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + nonce + encryptKey);
        var all = new byte[prefix.Length + body.Length];
        prefix.CopyTo(all, 0);
        body.CopyTo(all.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(SHA256.HashData(all));
    }

    public static bool IsValidEvent(string? timestamp, string? nonce, string? signature, string encryptKey, ReadOnlySpan<byte> body) =>
        timestamp is not null && nonce is not null && signature is not null
        && ChatSecrets.FixedTimeEquals(EventSignature(timestamp, nonce, encryptKey, body), signature.ToLowerInvariant());

    /// <summary>
    /// The plaintext of an encrypted event body (<c>{"encrypt": "..."}</c>): AES-256-CBC with key SHA-256(encrypt key), the
    /// first 16 bytes of the Base64-decoded data as IV, PKCS#7 padding. Null when it does not decrypt.
    /// </summary>
    public static string? Decrypt(string encrypted, string encryptKey)
    {
        try
        {
            var data = Convert.FromBase64String(encrypted);
            if (data.Length < 32) return null;
            using var aes = Aes.Create();
            aes.Key = SHA256.HashData(Encoding.UTF8.GetBytes(encryptKey));
            return Encoding.UTF8.GetString(aes.DecryptCbc(data.AsSpan(16), data.AsSpan(0, 16)));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The inverse of <see cref="Decrypt"/> (tests, and a fake Feishu).</summary>
    public static string Encrypt(string plaintext, string encryptKey, byte[] iv)
    {
        using var aes = Aes.Create();
        aes.Key = SHA256.HashData(Encoding.UTF8.GetBytes(encryptKey));
        return Convert.ToBase64String([.. iv, .. aes.EncryptCbc(Encoding.UTF8.GetBytes(plaintext), iv)]);
    }
}
