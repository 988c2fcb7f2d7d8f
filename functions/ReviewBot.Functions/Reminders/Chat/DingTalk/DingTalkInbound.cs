using System.Text.Json;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Reminders.Chat.Slack;

namespace ReviewBot.Functions.Reminders.Chat.DingTalk;

/// <summary>
/// DingTalk outgoing robot (the robot @-mentioned in a group): headers <c>timestamp</c> (ms, within an hour) and <c>sign</c>
/// (HMAC-SHA256 of "timestamp\nappSecret" keyed with the app secret, Base64). The sender is <c>senderStaffId</c> (else
/// <c>senderId</c>); the reply is a text message in the response body, which DingTalk posts in the group.
/// </summary>
public static class DingTalkInbound
{
    public static Inbound Read(HttpRequest request, byte[] body, string appSecret, DateTimeOffset now)
    {
        if (!DingTalkSignature.IsValidRequest(request.Headers["timestamp"], request.Headers["sign"], appSecret, now))
            return new Inbound.Rejected("the sign header does not match, or the timestamp is more than an hour away");
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var user = root.Str("senderStaffId") ?? root.Str("senderId");
            var text = root.TryGetProperty("text", out var t) ? t.Str("content") : null;
            return user is null ? new Inbound.Malformed("no senderStaffId or senderId")
                : new Inbound.Command(user, text, reply => TypedResults.Json(new { msgtype = "text", text = new { content = reply } }));
        }
        catch (JsonException)
        {
            return new Inbound.Malformed("the body is not JSON");
        }
    }
}
