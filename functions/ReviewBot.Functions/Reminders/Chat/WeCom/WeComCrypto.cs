using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Functions.Reminders.Chat.WeCom;

/// <summary>
/// WeCom's callback signing and encryption (its WXBizJsonMsgCrypt library, "回调和回复的加解密方案"):
/// <list type="bullet">
/// <item><c>msg_signature</c> = hex SHA-1 of the token, <c>timestamp</c>, <c>nonce</c> and the encrypted message
/// (<c>encrypt</c>, or <c>echostr</c> of the URL check), sorted and joined. In plaintext mode there is no fourth part, so
/// the signature does not cover the message.</item>
/// <item>The AES key is Base64(EncodingAESKey + "="), 32 bytes; AES-256-CBC with the key's first 16 bytes as IV and
/// PKCS#7 padding to a 32-byte block. The plaintext is 16 random bytes, the message length (4 bytes, big-endian),
/// the message (UTF-8), then the ReceiveId ("" for a smart robot, the corp id for an app).</item>
/// </list>
/// </summary>
public static class WeComCrypto
{
    private const int PadBlock = 32;

    public static string Signature(params string[] parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
    }

    /// <summary>Whether <paramref name="encodingAesKey"/> is a usable EncodingAESKey (43 characters, 32 bytes once decoded).</summary>
    public static bool IsValidKey(string encodingAesKey) => Key(encodingAesKey) is not null;

    private static byte[]? Key(string encodingAesKey)
    {
        if (encodingAesKey.Length != 43) return null;
        try
        {
            var key = Convert.FromBase64String(encodingAesKey + "=");
            return key.Length == 32 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The message inside <paramref name="encrypted"/>; null when it does not decrypt with the key, is malformed,
    /// or carries another ReceiveId than <paramref name="receiveId"/>.</summary>
    public static string? Decrypt(string encrypted, string encodingAesKey, string receiveId)
    {
        if (Key(encodingAesKey) is not { } key) return null;
        byte[] plain;
        try
        {
            var data = Convert.FromBase64String(encrypted);
            if (data.Length == 0 || data.Length % 16 != 0) return null;
            using var aes = Aes.Create();
            aes.Key = key;
            // Padding is to 32 bytes, which .NET's PKCS#7 (to the 16-byte AES block) would refuse: removed by hand.
            plain = aes.DecryptCbc(data, key.AsSpan(0, 16), PaddingMode.None);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }

        var pad = plain[^1];
        if (pad is < 1 or > PadBlock || pad > plain.Length) return null;
        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < 20) return null;
        var length = BinaryPrimitives.ReadUInt32BigEndian(content.Slice(16, 4));
        if (length > content.Length - 20) return null;
        var message = content.Slice(20, (int)length);
        var from = content[(20 + (int)length)..];
        try
        {
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            return ChatSecrets.FixedTimeEquals(receiveId, strict.GetString(from)) ? strict.GetString(message) : null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The inverse of <see cref="Decrypt"/>: for encrypted replies, and for tests and fakes.</summary>
    public static string Encrypt(string message, string encodingAesKey, string receiveId, ReadOnlySpan<byte> random16)
    {
        var key = Key(encodingAesKey) ?? throw new ArgumentException("Not a valid EncodingAESKey.", nameof(encodingAesKey));
        if (random16.Length != 16) throw new ArgumentException("16 random bytes are needed.", nameof(random16));
        var text = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(receiveId);
        var length = 20 + text.Length + id.Length;
        var pad = PadBlock - length % PadBlock;
        var plain = new byte[length + pad];
        random16.CopyTo(plain);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16, 4), (uint)text.Length);
        text.CopyTo(plain, 20);
        id.CopyTo(plain, 20 + text.Length);
        plain.AsSpan(length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None));
    }
}
