namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>Where a notice goes: one group's incoming webhook on one platform.</summary>
/// <param name="Platform">The platform name ("feishu", "lark", "dingtalk", "slack", "wecom").</param>
/// <param name="WebhookUrl">The group robot's URL (it carries the robot's token).</param>
/// <param name="Secret">The signing secret of robots that sign (Feishu/Lark, DingTalk); null when signing is off.</param>
public sealed record ChatTarget(string Platform, string WebhookUrl, string? Secret)
{
    /// <summary>Never the URL or the secret in logs: the URL's token is a credential.</summary>
    public override string ToString() => $"{Platform} group";
}

/// <summary>
/// One chat platform's group robot. A new platform is a folder implementing this and one registration line in
/// <see cref="ChatRegistration"/>.
/// </summary>
public interface IChatPlatform
{
    /// <summary>The name used in the configuration and in <c>/api/chat/{platform}/events</c>.</summary>
    string Name { get; }

    /// <summary>Renders <paramref name="notice"/>, signs the request as the platform requires and posts it, respecting the platform's rate limit.</summary>
    /// <exception cref="ChatPlatformException">The platform refused it, including the errors it reports as HTTP 200 with a non-zero code.</exception>
    Task SendAsync(ChatTarget target, Notice notice, CancellationToken ct);
}

/// <summary>A platform refused a message. <see cref="Code"/> is its error code (19021, 310000…), or the HTTP status when the body has none.</summary>
public sealed class ChatPlatformException(string platform, int code, string message)
    : Exception($"{platform} refused the message: {code} {message}")
{
    public string Platform { get; } = platform;
    public int Code { get; } = code;
}
