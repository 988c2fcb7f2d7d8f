using System.Text.Json;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Reminders.Chat.Slack;

namespace ReviewBot.Functions.Reminders.Chat.Feishu;

/// <summary>
/// Feishu/Lark event callbacks. With an Encrypt Key configured every request must carry a valid <c>X-Lark-Signature</c>
/// (SHA-256 of timestamp + nonce + key + body) and encrypted bodies (<c>{"encrypt": …}</c>) are decrypted; the
/// <c>url_verification</c> challenge is also accepted with the right Verification Token. Without an Encrypt Key the
/// Verification Token in the body (<c>token</c> or <c>header.token</c>) authenticates. Commands come from
/// <c>im.message.receive_v1</c> text messages; replies go to the group webhook (a bot cannot answer inline).
/// </summary>
public static class FeishuInbound
{
    public static Inbound Read(HttpRequest request, byte[] body, ChatInbound secrets, DateTimeOffset now)
    {
        var signed = secrets.FeishuEncryptKey is { } key && FeishuSignature.IsValidEvent(
            request.Headers["X-Lark-Request-Timestamp"], request.Headers["X-Lark-Request-Nonce"], request.Headers["X-Lark-Signature"], key, body);
        if (signed && !WithinWindow(request.Headers["X-Lark-Request-Timestamp"], now))
            return new Inbound.Rejected("X-Lark-Request-Timestamp is more than an hour away");

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
            if (json.RootElement.Str("encrypt") is { } encrypted)
            {
                var plain = secrets.FeishuEncryptKey is { } k ? FeishuSignature.Decrypt(encrypted, k) : null;
                json.Dispose();
                if (plain is null) return signed ? new Inbound.Malformed("the body does not decrypt with the Encrypt Key") : new Inbound.Rejected("not signed");
                json = JsonDocument.Parse(plain);
            }
        }
        catch (JsonException)
        {
            return signed ? new Inbound.Malformed("the body is not JSON") : new Inbound.Rejected("not signed");
        }

        using (json)
        {
            var root = json.RootElement;
            var token = root.Str("token") ?? (root.TryGetProperty("header", out var h) ? h.Str("token") : null);
            var tokenOk = secrets.FeishuVerificationToken is { } expected && ChatSecrets.FixedTimeEquals(expected, token);
            var isChallenge = root.Str("type") == "url_verification";
            var authentic = secrets.FeishuEncryptKey is not null ? signed || (isChallenge && tokenOk) : tokenOk;
            if (!authentic)
                return new Inbound.Rejected(secrets.FeishuEncryptKey is not null ? "X-Lark-Signature missing or wrong" : "the verification token does not match");

            if (isChallenge) return new Inbound.Answer(TypedResults.Json(new { challenge = root.Str("challenge") }));
            if (!root.TryGetProperty("event", out var e) || !root.TryGetProperty("header", out var header) || header.Str("event_type") != "im.message.receive_v1")
                return new Inbound.Ignored("not a message event");
            var sender = e.TryGetProperty("sender", out var s) && s.TryGetProperty("sender_id", out var id) ? id.Str("open_id") : null;
            var content = e.TryGetProperty("message", out var m) ? m.Str("content") : null;
            if (sender is null || content is null) return new Inbound.Malformed("the message has no sender or content");
            string? text;
            try
            {
                using var c = JsonDocument.Parse(content);
                text = c.RootElement.Str("text");
            }
            catch (JsonException)
            {
                return new Inbound.Malformed("message.content is not JSON");
            }

            return new Inbound.Command(sender, text, reply => TypedResults.Ok(new { code = 0, reply }));
        }
    }

    private static bool WithinWindow(string? timestamp, DateTimeOffset now) =>
        long.TryParse(timestamp, out var seconds) && Math.Abs(now.ToUnixTimeSeconds() - seconds) <= FeishuSignature.Window.TotalSeconds;
}
