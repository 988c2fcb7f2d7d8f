using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Hosting.Http;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Reminders.Chat.DingTalk;
using ReviewBot.Functions.Reminders.Chat.Feishu;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Chat.WeCom;
using static ReviewBot.Functions.Hosting.Http.Problems;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>
/// <c>POST /api/chat/{platform}/events</c>: verify the request as the platform signs it (401 problem otherwise, nothing
/// stored), answer protocol challenges, and carry out the command in the message (<see cref="ChatCommandHandler"/>),
/// replying the way the platform expects. A command is carried out once: the same signed request again, to this instance or
/// another, is a replay (401, <see cref="ChatReplayStore"/>). <c>GET /api/chat/wecom/events</c> answers WeCom's URL check.
/// The POST answers <see cref="IResult"/>: besides problems, its bodies are each platform's own reply shapes.
/// </summary>
public static class ChatEndpoints
{
    /// <summary>Chat messages are small; anything bigger is not a command.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapChatEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/chat/{platform}/events", Receive).WithTags("Chat").DisableAntiforgery();
        app.MapGet("/api/chat/wecom/events", (HttpRequest request, ReviewConfig config, TimeProvider time) =>
            config.Reminders.Inbound.WeComToken is null
                ? Problem(503, "Platform not configured", "Set reminders.platforms.wecom in the configuration file; without it no request can be verified.")
                : WeComInbound.VerifyUrl(request, config.Reminders.Inbound, time.GetUtcNow())).WithTags("Chat");
        app.MapBindingEndpoints();
        return app;
    }

    public static async Task<IResult> Receive(
        string platform,
        HttpRequest request,
        ReviewConfig config,
        ChatCommandHandler commands,
        ChatReplayStore replays,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var log = loggers.CreateLogger("ReviewBot.Reminders.Chat");
        platform = platform.ToLowerInvariant();
        if (!ChatPlatformNames.All.Contains(platform))
            return Problem(404, "Unknown platform", $"'{platform}' is not one of: {string.Join(", ", ChatPlatformNames.All)}.");

        var secrets = config.Reminders.Inbound;
        var configured = platform switch
        {
            ChatPlatformNames.Slack => secrets.SlackSigningSecret is not null,
            ChatPlatformNames.Feishu or ChatPlatformNames.Lark => secrets.FeishuEncryptKey is not null || secrets.FeishuVerificationToken is not null,
            ChatPlatformNames.DingTalk => secrets.DingTalkAppSecret is not null,
            _ => secrets.WeComToken is not null,
        };
        if (!configured)
            return Problem(503, "Platform not configured", $"Set reminders.platforms.{platform} in the configuration file; without it no request can be verified.");

        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null) return Problem(413, "Payload too large", $"The body exceeds {MaxBodyBytes} bytes.");

        var now = time.GetUtcNow();
        var inbound = platform switch
        {
            ChatPlatformNames.Slack => SlackInbound.Read(request, body, secrets.SlackSigningSecret!, now),
            ChatPlatformNames.Feishu or ChatPlatformNames.Lark => FeishuInbound.Read(request, body, secrets, now),
            ChatPlatformNames.DingTalk => DingTalkInbound.Read(request, body, secrets, now),
            _ => WeComInbound.Read(request, body, secrets, time),
        };

        switch (inbound)
        {
            case Inbound.Rejected rejected:
                RemindersLog.ChatRequestRejected(log, platform, rejected.Reason);
                return Problem(401, "Request not authentic", rejected.Reason);
            case Inbound.Malformed malformed:
                return Problem(400, "Request not understood", malformed.Reason);
            case Inbound.Answer answer:
                return answer.Result;
            case Inbound.Command command:
                // Claimed before it is carried out, so that two deliveries of one request (to two instances) run it once.
                if (!await replays.TryClaimAsync(command.Replay, now, ct))
                {
                    RemindersLog.ChatRequestReplayed(log, platform);
                    return Problem(401, "Request already received", "This signed request was already carried out; a replay is refused until the platform's window for it has closed.");
                }

                RemindersLog.ChatCommand(log, platform, Shorten(command.Text));
                return command.Reply(await commands.HandleAsync(platform, command.UserId, command.Text, ct));
            default:
                return TypedResults.Ok(new { ok = true, ignored = ((Inbound.Ignored)inbound).Why });
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 200 ? text[..200] : text;
}
