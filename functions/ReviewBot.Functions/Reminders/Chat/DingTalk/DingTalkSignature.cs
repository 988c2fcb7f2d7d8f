using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Functions.Reminders.Chat.DingTalk;

/// <summary>
/// DingTalk's robot signature: Base64 of HMAC-SHA256 keyed with the secret over "timestamp\nsecret", the timestamp in
/// milliseconds (key and message the other way round from Feishu). The custom robot takes it URL-encoded in the query
/// (<c>&amp;timestamp=…&amp;sign=…</c>); the outgoing robot sends it, not encoded, in the <c>timestamp</c> and <c>sign</c> headers,
/// signed with the app secret. Both must be within an hour of now.
/// </summary>
public static class DingTalkSignature
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static string Base64(long timestampMillis, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestampMillis.ToString(CultureInfo.InvariantCulture) + "\n" + secret)));

    /// <summary>The query value: <see cref="Base64"/> URL-encoded ('+', '/' and '=' escaped, as the official samples do).</summary>
    public static string Sign(long timestampMillis, string secret) => Uri.EscapeDataString(Base64(timestampMillis, secret));

    /// <summary>An outgoing robot's headers: a millisecond timestamp within <see cref="Window"/> of <paramref name="now"/>, and its signature.</summary>
    public static bool IsValidRequest(string? timestamp, string? sign, string appSecret, DateTimeOffset now) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
        && Math.Abs(now.ToUnixTimeMilliseconds() - ms) <= Window.TotalMilliseconds
        && ChatSecrets.FixedTimeEquals(Base64(ms, appSecret), sign);
}
