using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using ReviewBot.Functions.Reminders.Chat.Commands;

namespace ReviewBot.Functions.Reminders.Chat.Slack;

/// <summary>
/// Slack requests: a slash command (form-encoded <c>text</c>, <c>user_id</c>; answered inline, visible to the sender only) or
/// an Events API callback (JSON: <c>url_verification</c> is answered with its challenge; a message or app_mention event is
/// a command whose reply cannot be inline and is only logged). Both signed with the app's signing secret (v0), which covers
/// the timestamp and the body; a command is carried out once per signature (<see cref="ReplayKey"/>, until the 5-minute
/// window closes).
/// </summary>
public static class SlackInbound
{
    public static Inbound Read(HttpRequest request, byte[] body, string signingSecret, DateTimeOffset now)
    {
        if (!SlackSignature.IsValid(signingSecret, request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"], body, now))
        {
            return new Inbound.Rejected("X-Slack-Signature does not match, or X-Slack-Request-Timestamp is more than 5 minutes away");
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Headers["X-Slack-Request-Timestamp"].ToString(), CultureInfo.InvariantCulture));
        var replay = new ReplayKey(ChatPlatformNames.Slack, request.Headers["X-Slack-Signature"].ToString(), signedAt + SlackSignature.Window);

        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
            var user = form.TryGetValue("user_id", out var u) ? u.ToString() : "";
            return user.Length == 0
                ? new Inbound.Malformed("the slash command has no user_id")
                : new Inbound.Command(user, form.TryGetValue("text", out var t) ? t.ToString() : "",
                    reply => TypedResults.Json(new { response_type = "ephemeral", text = reply }), replay);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            switch (root.Str("type"))
            {
                case "url_verification":
                    return new Inbound.Answer(TypedResults.Json(new { challenge = root.Str("challenge") }));
                case "event_callback" when root.Prop("event") is { ValueKind: JsonValueKind.Object } e:
                    if (e.Str("bot_id") is not null || e.Str("subtype") is not null) return new Inbound.Ignored("a bot's or an edited message");
                    if (e.Str("type") is not ("message" or "app_mention") || e.Str("user") is not { } user) return new Inbound.Ignored("not a message");
                    return new Inbound.Command(user, e.Str("text"), reply => TypedResults.Ok(new { ok = true, reply }), replay);
                default:
                    return new Inbound.Ignored($"event type '{root.Str("type")}' needs nothing");
            }
        }
        catch (JsonException)
        {
            return new Inbound.Malformed("the body is neither a form nor JSON");
        }
    }

    /// <summary>An object's property, or null (also when <paramref name="e"/> is not an object: bodies are hostile). The JSON
    /// readers of chat requests and of bind comments share these two.</summary>
    internal static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) ? p : null;

    /// <summary>A string property, or null.</summary>
    internal static string? Str(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
