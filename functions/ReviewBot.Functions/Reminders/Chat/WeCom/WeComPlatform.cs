using System.Text.Json.Nodes;

namespace ReviewBot.Functions.Reminders.Chat.WeCom;

/// <summary>
/// WeCom (企业微信) group robot: a markdown message mentioning with <c>&lt;@userid&gt;</c>; content up to 4096 bytes (2048 for
/// text messages). The robot's key in the URL is its only credential: nothing is signed. Limit: 20 messages a minute.
/// </summary>
public sealed class WeComPlatform(IHttpClientFactory http, NoticeTemplates templates, ChatRateLimits limits, TimeProvider time)
    : ChatPlatformBase(http, templates, limits, time)
{
    public const int MaxMarkdownBytes = 4096;
    public const int MaxTextBytes = 2048;

    private static readonly RateLimitRule[] Limits = [new(20, TimeSpan.FromMinutes(1))];

    public override string Name => "wecom";

    public override IChatDialect Dialect { get; } = new WeComDialect();

    public override IReadOnlyList<RateLimitRule> RateLimits => Limits;

    protected override JsonObject Body(ChatTarget target, Notice notice, string text) => new()
    {
        ["msgtype"] = "markdown",
        ["markdown"] = new JsonObject { ["content"] = Fit(text, MaxMarkdownBytes) },
    };

    private sealed class WeComDialect : MarkdownDialect
    {
        public override string Who(NoticeRecipient recipient) => recipient.IsBound ? $"<@{recipient.ChatId}>" : Escape(recipient.Login);

        public override string Escape(string text) => base.Escape(text).Replace("<", "＜").Replace(">", "＞");
    }
}
