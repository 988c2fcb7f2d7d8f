using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Reminders.Chat.DingTalk;
using ReviewBot.Functions.Reminders.Chat.Feishu;
using ReviewBot.Functions.Reminders.Chat.Slack;
using ReviewBot.Functions.Reminders.Chat.WeCom;
using ReviewBot.Functions.Webhooks;

namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>
/// <c>POST /api/chat/{platform}/events</c>: verify the request as the platform signs it (401 problem otherwise, nothing
/// stored), answer protocol challenges, and carry out the command in the message (<see cref="ChatCommandHandler"/>),
/// replying the way the platform expects.
/// </summary>
public static class ChatEndpoints
{
    /// <summary>Chat messages are small; anything bigger is not a command.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapChatEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/chat/{platform}/events", Receive).WithTags("Chat").DisableAntiforgery();
        return app;
    }

    public static async Task<IResult> Receive(
        string platform,
        HttpRequest request,
        ReviewConfig config,
        ChatCommandHandler commands,
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
            ChatPlatformNames.DingTalk => DingTalkInbound.Read(request, body, secrets.DingTalkAppSecret!, now),
            _ => WeComInbound.Read(request, body, secrets.WeComToken!, now),
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
                RemindersLog.ChatCommand(log, platform, Shorten(command.Text));
                return command.Reply(await commands.HandleAsync(platform, command.UserId, command.Text, ct));
            default:
                return TypedResults.Ok(new { ok = true, ignored = ((Inbound.Ignored)inbound).Why });
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 200 ? text[..200] : text;

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
