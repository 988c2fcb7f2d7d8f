using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ReviewBot.Functions.Reminders.Chat.DingTalk;
using ReviewBot.Functions.Reminders.Chat.Feishu;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Chat.WeCom;

namespace ReviewBot.Tests.Reminders.Chat;

/// <summary>
/// Requests to <c>POST /api/chat/{platform}/events</c> signed as each platform signs them, built apart from sending so
/// that a test can capture one and send it again, or send its headers with another body (what an attacker who saw one
/// request can do).
/// </summary>
public sealed record ChatRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, string ContentType)
{
    /// <summary>The same signature headers and query with another body.</summary>
    public ChatRequest WithBody(byte[] body) => this with { Body = body };

    public async Task<HttpResponseMessage> SendAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        foreach (var (name, value) in Headers) request.Headers.TryAddWithoutValidation(name, value);
        return await http.SendAsync(request);
    }
}

/// <summary>Builders of <see cref="ChatRequest"/>s signed as each platform signs them.</summary>
public static class ChatRequests
{
    private static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A Slack slash command from <paramref name="user"/>.</summary>
    public static ChatRequest Slack(string secret, DateTimeOffset at, string user, string text)
    {
        var body = SlackBody(user, text);
        var ts = Seconds(at);
        return new ChatRequest("/api/chat/slack/events",
            new Dictionary<string, string> { ["X-Slack-Request-Timestamp"] = ts, ["X-Slack-Signature"] = SlackSignature.Compute(secret, ts, body) },
            body, "application/x-www-form-urlencoded");
    }

    public static byte[] SlackBody(string user, string text) =>
        Encoding.UTF8.GetBytes($"token=x&team_id=T1&user_id={user}&command=%2Freviewbot&text={Uri.EscapeDataString(text)}");

    /// <summary>A DingTalk outgoing robot's message: headers <c>timestamp</c> (ms) and <c>sign</c>, which cover only the timestamp.</summary>
    public static ChatRequest DingTalk(string appSecret, DateTimeOffset at, string staffId, string text)
    {
        var ms = at.ToUnixTimeMilliseconds();
        return new ChatRequest("/api/chat/dingtalk/events",
            new Dictionary<string, string> { ["timestamp"] = ms.ToString(CultureInfo.InvariantCulture), ["sign"] = DingTalkSignature.Base64(ms, appSecret) },
            DingTalkBody(staffId, text), "application/json");
    }

    public static byte[] DingTalkBody(string staffId, string text) => Json(new JsonObject
    {
        ["msgtype"] = "text",
        ["msgId"] = "msg" + Guid.NewGuid().ToString("N"),
        ["senderStaffId"] = staffId,
        ["conversationType"] = "2",
        ["text"] = new JsonObject { ["content"] = text },
    });

    /// <summary>A WeCom callback in plaintext mode: <c>msg_signature</c> over token, timestamp and nonce only.</summary>
    public static ChatRequest WeComPlain(string token, DateTimeOffset at, string nonce, string userId, string text)
    {
        var ts = Seconds(at);
        var query = $"msg_signature={WeComInbound.Signature(token, ts, nonce)}&timestamp={ts}&nonce={nonce}";
        return new ChatRequest($"/api/chat/wecom/events?{query}", new Dictionary<string, string>(), WeComMessage(userId, text), "application/json");
    }

    /// <summary>The plaintext JSON of a WeCom robot's text message.</summary>
    public static byte[] WeComMessage(string userId, string text) => Json(new JsonObject
    {
        ["msgid"] = Guid.NewGuid().ToString("N"),
        ["chattype"] = "group",
        ["from"] = new JsonObject { ["userid"] = userId },
        ["msgtype"] = "text",
        ["text"] = new JsonObject { ["content"] = text },
    });

    /// <summary>A WeCom callback in encrypted mode: the body is <c>{"encrypt": …}</c> and <c>msg_signature</c> covers it.</summary>
    public static ChatRequest WeComEncrypted(string token, string aesKey, string receiveId, DateTimeOffset at, string nonce, string userId, string text)
    {
        var ts = Seconds(at);
        var encrypted = WeComCrypto.Encrypt(Encoding.UTF8.GetString(WeComMessage(userId, text)), aesKey, receiveId, RandomNumberGenerator.GetBytes(16));
        var query = $"msg_signature={WeComCrypto.Signature(token, ts, nonce, encrypted)}&timestamp={ts}&nonce={nonce}";
        return new ChatRequest($"/api/chat/wecom/events?{query}", new Dictionary<string, string>(), Json(new JsonObject { ["encrypt"] = encrypted }), "application/json");
    }

    /// <summary>A Feishu event with an Encrypt Key: encrypted body, <c>X-Lark-Signature</c> over timestamp, nonce, key and body.</summary>
    public static ChatRequest FeishuSigned(string encryptKey, string verificationToken, DateTimeOffset at, string nonce, string eventId, string openId, string text)
    {
        var plain = Encoding.UTF8.GetString(FeishuEvent(verificationToken, eventId, openId, text));
        var body = Json(new JsonObject { ["encrypt"] = FeishuSignature.Encrypt(plain, encryptKey, RandomNumberGenerator.GetBytes(16)) });
        var ts = Seconds(at);
        return new ChatRequest("/api/chat/feishu/events", new Dictionary<string, string>
        {
            ["X-Lark-Request-Timestamp"] = ts,
            ["X-Lark-Request-Nonce"] = nonce,
            ["X-Lark-Signature"] = FeishuSignature.EventSignature(ts, nonce, encryptKey, body),
        }, body, "application/json");
    }

    /// <summary>A Feishu event without an Encrypt Key: the Verification Token in the body is all there is.</summary>
    public static ChatRequest FeishuToken(string verificationToken, string eventId, string openId, string text) =>
        new ChatRequest("/api/chat/feishu/events", new Dictionary<string, string>(), FeishuEvent(verificationToken, eventId, openId, text), "application/json");

    public static byte[] FeishuEvent(string verificationToken, string eventId, string openId, string text) => Json(new JsonObject
    {
        ["schema"] = "2.0",
        ["header"] = new JsonObject
        {
            ["event_id"] = eventId,
            ["token"] = verificationToken,
            ["event_type"] = "im.message.receive_v1",
        },
        ["event"] = new JsonObject
        {
            ["sender"] = new JsonObject { ["sender_id"] = new JsonObject { ["open_id"] = openId } },
            ["message"] = new JsonObject { ["message_type"] = "text", ["content"] = new JsonObject { ["text"] = text }.ToJsonString() },
        },
    });

    public static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}
