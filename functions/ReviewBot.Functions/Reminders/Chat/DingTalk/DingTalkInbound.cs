using System.Globalization;
using System.Text.Json;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Functions.Reminders.Chat.DingTalk;

/// <summary>
/// DingTalk outgoing robot (the robot @-mentioned in a group): headers <c>timestamp</c> (ms, within an hour) and <c>sign</c>
/// (HMAC-SHA256 of "timestamp\nappSecret" keyed with the app secret, Base64). The sender is <c>senderStaffId</c> (else
/// <c>senderId</c>); the reply is a text message in the response body, which DingTalk posts in the group.
/// <para>The signature covers the timestamp only, not the message, and DingTalk documents no mode for this robot that
/// covers it: whoever sees one request could send its headers with any command for an hour. So commands are refused unless
/// <c>reminders.platforms.dingtalk.acceptUnsignedBody</c> is true, and then each <c>sign</c> is carried out once
/// (<see cref="ReplayKey"/>): once the genuine request has arrived, its headers are worth nothing.</para>
/// </summary>
public static class DingTalkInbound
{
    public const string NotCoveredReason =
        "DingTalk's outgoing robot signs only the timestamp, not the message, so ReviewBot refuses its commands unless "
        + "reminders.platforms.dingtalk.acceptUnsignedBody is true (each signature is then accepted once)";

    public static Inbound Read(HttpRequest request, byte[] body, ChatInbound secrets, DateTimeOffset now)
    {
        string? timestamp = request.Headers["timestamp"], sign = request.Headers["sign"];
        if (!DingTalkSignature.IsValidRequest(timestamp, sign, secrets.DingTalkAppSecret!, now))
            return new Inbound.Rejected("the sign header does not match, or the timestamp is more than an hour away");
        if (!secrets.AcceptsUnsignedBody(ChatPlatformNames.DingTalk)) return new Inbound.Rejected(NotCoveredReason);

        var signedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(timestamp!, CultureInfo.InvariantCulture));
        var replay = new ReplayKey(ChatPlatformNames.DingTalk, sign!, signedAt + DingTalkSignature.Window);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var user = root.Str("senderStaffId") ?? root.Str("senderId");
            var text = root.Prop("text")?.Str("content");
            return user is null ? new Inbound.Malformed("no senderStaffId or senderId")
                : new Inbound.Command(user, text, reply => TypedResults.Json(new { msgtype = "text", text = new { content = reply } }), replay);
        }
        catch (JsonException)
        {
            return new Inbound.Malformed("the body is not JSON");
        }
    }
}
