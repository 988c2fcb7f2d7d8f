using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Functions.Reminders.Chat.WeCom;

/// <summary>
/// WeCom robot callbacks (JSON; <see cref="WeComCrypto"/> for the scheme). The query carries <c>msg_signature</c>,
/// <c>timestamp</c> (within 5 minutes) and <c>nonce</c>.
/// <list type="bullet">
/// <item>Encrypted mode (token and EncodingAESKey configured, as WeCom sets robots up): the body is <c>{"encrypt": …}</c>,
/// the signature covers it, and the message inside must carry the configured ReceiveId. Replies are encrypted too (a
/// finished <c>stream</c> message, which WeCom shows in the chat). <c>GET</c> answers the URL check (<see cref="VerifyUrl"/>).</item>
/// <item>Plaintext mode (token only): the signature covers the token, timestamp and nonce but not the message, so a captured
/// query could carry any command; refused unless <c>acceptUnsignedBody</c> is true.</item>
/// </list>
/// Either way a command is carried out once per signature (<see cref="ReplayKey"/>). The message is <c>from.userid</c> and
/// <c>text.content</c>.
/// </summary>
public static class WeComInbound
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public const string NotCoveredReason =
        "in WeCom's plaintext mode msg_signature does not cover the message, so ReviewBot refuses its commands; configure "
        + "reminders.platforms.wecom.encodingAESKey (encrypted mode), or set acceptUnsignedBody: true to accept them anyway";

    /// <summary>The plaintext mode's signature (token, timestamp, nonce).</summary>
    public static string Signature(string token, string timestamp, string nonce) => WeComCrypto.Signature(token, timestamp, nonce);

    public static Inbound Read(HttpRequest request, byte[] body, ChatInbound secrets, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var q = request.Query;
        string? timestamp = q["timestamp"], nonce = q["nonce"], signature = q["msg_signature"].FirstOrDefault() ?? q["signature"].FirstOrDefault();
        if (timestamp is null || nonce is null || signature is null || !WithinWindow(timestamp, now, out var signedAt))
            return new Inbound.Rejected("msg_signature, timestamp or nonce is missing, or the timestamp is more than 5 minutes away");

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return new Inbound.Rejected("the body is not JSON, so it cannot be verified");
        }

        var token = secrets.WeComToken!;
        var replay = new ReplayKey(ChatPlatformNames.WeCom, signature.ToLowerInvariant(), signedAt + Window);
        Func<string, IResult> reply;
        using (json)
        {
            if (secrets.WeComEncodingAesKey is { } aesKey)
            {
                if (json.RootElement.Str("encrypt") is not { } encrypted)
                    return new Inbound.Rejected("encrypted mode is configured but the body has no 'encrypt'");
                if (!ChatSecrets.FixedTimeEquals(WeComCrypto.Signature(token, timestamp, nonce, encrypted), signature.ToLowerInvariant()))
                    return new Inbound.Rejected("msg_signature does not match the token, timestamp, nonce and message");
                if (WeComCrypto.Decrypt(encrypted, aesKey, secrets.WeComReceiveId) is not { } plain)
                    return new Inbound.Malformed("the message does not decrypt with the EncodingAESKey, or carries another ReceiveId");
                reply = text => EncryptedReply(text, token, aesKey, secrets.WeComReceiveId, time);
                return Message(plain, reply, replay);
            }

            if (!ChatSecrets.FixedTimeEquals(Signature(token, timestamp, nonce), signature.ToLowerInvariant()))
                return new Inbound.Rejected("msg_signature does not match");
            if (!secrets.AcceptsUnsignedBody(ChatPlatformNames.WeCom)) return new Inbound.Rejected(NotCoveredReason);
            if (json.RootElement.Str("encrypt") is not null)
                return new Inbound.Malformed("the body is encrypted; configure reminders.platforms.wecom.encodingAESKey");
            reply = text => TypedResults.Ok(new { errcode = 0, reply = text });
            return Message(json.RootElement.GetRawText(), reply, replay);
        }
    }

    /// <summary>
    /// <c>GET</c> with <c>msg_signature</c>, <c>timestamp</c>, <c>nonce</c> and <c>echostr</c>: WeCom checking the URL when it is
    /// saved. The signature covers <c>echostr</c>; the answer is its plaintext (decrypted in encrypted mode), nothing else.
    /// </summary>
    public static Results<ContentHttpResult, ProblemHttpResult> VerifyUrl(HttpRequest request, ChatInbound secrets, DateTimeOffset now)
    {
        var q = request.Query;
        string? timestamp = q["timestamp"], nonce = q["nonce"], echo = q["echostr"], signature = q["msg_signature"].FirstOrDefault() ?? q["signature"].FirstOrDefault();
        if (timestamp is null || nonce is null || echo is null || signature is null || !WithinWindow(timestamp, now, out _)
            || !ChatSecrets.FixedTimeEquals(WeComCrypto.Signature(secrets.WeComToken!, timestamp, nonce, echo), signature.ToLowerInvariant()))
        {
            return TypedResults.Problem(statusCode: 401, title: "Request not authentic",
                detail: "msg_signature does not cover the token, timestamp, nonce and echostr, or the timestamp is more than 5 minutes away");
        }

        if (secrets.WeComEncodingAesKey is not { } aesKey) return TypedResults.Text(echo);
        return WeComCrypto.Decrypt(echo, aesKey, secrets.WeComReceiveId) is { } plain
            ? TypedResults.Text(plain)
            : TypedResults.Problem(statusCode: 400, title: "Request not understood", detail: "echostr does not decrypt with the EncodingAESKey, or carries another ReceiveId");
    }

    private static Inbound Message(string plain, Func<string, IResult> reply, ReplayKey replay)
    {
        try
        {
            using var json = JsonDocument.Parse(plain);
            var root = json.RootElement;
            if (root.Str("msgtype") is { } type && type != "text") return new Inbound.Ignored($"a '{type}' message");
            var user = root.Prop("from")?.Str("userid");
            var text = root.Prop("text")?.Str("content");
            return user is null ? new Inbound.Malformed("no from.userid") : new Inbound.Command(user, text, reply, replay);
        }
        catch (JsonException)
        {
            return new Inbound.Malformed("the message is not JSON");
        }
    }

    /// <summary>A passive reply in encrypted mode: a finished stream message, encrypted and signed as WeCom expects.</summary>
    private static IResult EncryptedReply(string text, string token, string aesKey, string receiveId, TimeProvider time)
    {
        var message = JsonSerializer.Serialize(new { msgtype = "stream", stream = new { id = Guid.NewGuid().ToString("N"), finish = true, content = text } });
        var encrypt = WeComCrypto.Encrypt(message, aesKey, receiveId, RandomNumberGenerator.GetBytes(16));
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return TypedResults.Json(new { encrypt, msgsignature = WeComCrypto.Signature(token, timestamp, nonce, encrypt), timestamp, nonce });
    }

    private static bool WithinWindow(string timestamp, DateTimeOffset now, out DateTimeOffset signedAt)
    {
        signedAt = default;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > Window.TotalSeconds) return false;
        signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
