using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Reminders.Chat.Slack;

namespace ReviewBot.Functions.Reminders.Chat.WeCom;

/// <summary>
/// WeCom callbacks in plaintext mode only: the query's <c>msg_signature</c> (or <c>signature</c>) must be the hex SHA-1 of
/// the token, <c>timestamp</c> and <c>nonce</c> sorted and joined, and the timestamp within 5 minutes. WeCom's AES-encrypted
/// callbacks (the mode WeCom apps use by default) are not supported. The body is JSON with <c>from.userid</c> and
/// <c>text.content</c>; replies go to the group webhook.
/// </summary>
public static class WeComInbound
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static string Signature(string token, string timestamp, string nonce)
    {
        string[] parts = [token, timestamp, nonce];
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
    }

    public static Inbound Read(HttpRequest request, byte[] body, string token, DateTimeOffset now)
    {
        var q = request.Query;
        string? timestamp = q["timestamp"], nonce = q["nonce"], signature = q["msg_signature"].FirstOrDefault() ?? q["signature"].FirstOrDefault();
        if (timestamp is null || nonce is null || !long.TryParse(timestamp, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > Window.TotalSeconds
            || !ChatSecrets.FixedTimeEquals(Signature(token, timestamp, nonce), signature?.ToLowerInvariant()))
        {
            return new Inbound.Rejected("msg_signature does not match, or the timestamp is more than 5 minutes away");
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.Str("encrypt") is not null) return new Inbound.Malformed("encrypted callbacks are not supported; use plaintext mode");
            var user = root.TryGetProperty("from", out var f) ? f.Str("userid") : null;
            var text = root.TryGetProperty("text", out var t) ? t.Str("content") : null;
            return user is null ? new Inbound.Malformed("no from.userid")
                : new Inbound.Command(user, text, reply => TypedResults.Ok(new { errcode = 0, reply }));
        }
        catch (JsonException)
        {
            return new Inbound.Malformed("the body is not JSON");
        }
    }
}
