using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Functions.Reminders.Chat.Slack;

/// <summary>
/// Slack's request signing (v0): <c>X-Slack-Signature</c> = "v0=" + hex HMAC-SHA256 keyed with the app's signing secret over
/// "v0:{X-Slack-Request-Timestamp}:{body}"; requests more than five minutes from now are refused (replays).
/// </summary>
public static class SlackSignature
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var all = new byte[prefix.Length + body.Length];
        prefix.CopyTo(all, 0);
        body.CopyTo(all.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), all));
    }

    public static bool IsValid(string signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs(now.ToUnixTimeSeconds() - seconds) <= Window.TotalSeconds
        && ChatSecrets.FixedTimeEquals(Compute(signingSecret, timestamp!, body), signature);
}
