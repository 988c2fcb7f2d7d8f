using System.Globalization;
using System.Text.Json;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Functions.Reminders.Chat.Feishu;

/// <summary>
/// Feishu/Lark event callbacks. With an Encrypt Key configured every request must carry a valid <c>X-Lark-Signature</c>
/// (SHA-256 of timestamp + nonce + key + body, so it covers the message) within an hour, and encrypted bodies
/// (<c>{"encrypt": …}</c>) are decrypted; the <c>url_verification</c> challenge is also accepted with the right Verification
/// Token. A command is carried out once per signature (<see cref="ReplayKey"/>).
/// <para>Without an Encrypt Key the only proof is the static Verification Token in the body: no timestamp, nothing signed, so
/// whoever has seen one request can send any command, for ever. The challenge is still answered (the console needs it),
/// but commands are refused unless <c>acceptUnsignedBody</c> is true; then the same event id is carried out once.</para>
/// Commands come from <c>im.message.receive_v1</c> text messages; replies go to the group webhook (a bot cannot answer inline).
/// </summary>
public static class FeishuInbound
{
    /// <summary>How long the event ids of token-only requests are remembered: Feishu retries a delivery for about 7 hours.</summary>
    public static readonly TimeSpan EventIdRetention = TimeSpan.FromDays(1);

    public const string NotCoveredReason =
        "without an Encrypt Key Feishu/Lark authenticates an event only by the static Verification Token, so ReviewBot refuses "
        + "its commands; configure reminders.platforms.feishu.encryptKey (or set acceptUnsignedBody: true to accept them anyway)";

    public static Inbound Read(HttpRequest request, byte[] body, ChatInbound secrets, DateTimeOffset now)
    {
        string? timestamp = request.Headers["X-Lark-Request-Timestamp"], signature = request.Headers["X-Lark-Signature"];
        var signed = secrets.FeishuEncryptKey is { } key && FeishuSignature.IsValidEvent(
            timestamp, request.Headers["X-Lark-Request-Nonce"], signature, key, body);
        if (signed && !WithinWindow(timestamp, now, out _))
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
            var header = root.Prop("header");
            var token = root.Str("token") ?? header?.Str("token");
            var tokenOk = secrets.FeishuVerificationToken is { } expected && ChatSecrets.FixedTimeEquals(expected, token);
            var isChallenge = root.Str("type") == "url_verification";
            var authentic = secrets.FeishuEncryptKey is not null ? signed || (isChallenge && tokenOk) : tokenOk;
            if (!authentic)
                return new Inbound.Rejected(secrets.FeishuEncryptKey is not null ? "X-Lark-Signature missing or wrong" : "the verification token does not match");

            if (isChallenge) return new Inbound.Answer(TypedResults.Json(new { challenge = root.Str("challenge") }));
            if (root.Prop("event") is not { } e || header?.Str("event_type") != "im.message.receive_v1")
                return new Inbound.Ignored("not a message event");

            ReplayKey replay;
            if (signed)
            {
                WithinWindow(timestamp, now, out var signedAt);
                replay = new ReplayKey(ChatPlatformNames.Feishu, signature!.ToLowerInvariant(), signedAt + FeishuSignature.Window);
            }
            else if (!secrets.AcceptsUnsignedBody(ChatPlatformNames.Feishu))
            {
                return new Inbound.Rejected(NotCoveredReason);
            }
            else if (header?.Str("event_id") is { Length: > 0 } eventId)
            {
                replay = new ReplayKey(ChatPlatformNames.Feishu, "event:" + eventId, now + EventIdRetention);
            }
            else
            {
                return new Inbound.Malformed("the event has no header.event_id");
            }

            var sender = e.Prop("sender")?.Prop("sender_id")?.Str("open_id");
            var content = e.Prop("message")?.Str("content");
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

            return new Inbound.Command(sender, text, reply => TypedResults.Ok(new { code = 0, reply }), replay);
        }
    }

    private static bool WithinWindow(string? timestamp, DateTimeOffset now, out DateTimeOffset signedAt)
    {
        signedAt = default;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > FeishuSignature.Window.TotalSeconds) return false;
        signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
