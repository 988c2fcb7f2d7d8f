using System.Text.Json.Nodes;

namespace ReviewBot.Functions.Reminders.Chat.DingTalk;

/// <summary>
/// DingTalk custom robot: a markdown message whose <c>at.atUserIds</c>/<c>at.atMobiles</c> list the people and whose text
/// carries "@id" for each (DingTalk only notifies people named in both). A chat id of digits (optionally '+') is a mobile
/// number, anything else a user id. Signed in the query. Limit: 20 messages a minute per robot.
/// </summary>
public sealed class DingTalkPlatform(IHttpClientFactory http, NoticeTemplates templates, ChatRateLimits limits, TimeProvider time)
    : ChatPlatformBase(http, templates, limits, time)
{
    /// <summary>Kept under DingTalk's message size limit (20,000 bytes of text).</summary>
    public const int MaxTextBytes = 18_000;

    private static readonly RateLimitRule[] Limits = [new(20, TimeSpan.FromMinutes(1))];

    public override string Name => "dingtalk";

    public override IChatDialect Dialect { get; } = new DingTalkDialect();

    public override IReadOnlyList<RateLimitRule> RateLimits => Limits;

    public static bool IsMobile(string chatId) => chatId.Length >= 5 && chatId.TrimStart('+').All(char.IsAsciiDigit);

    protected override string Url(ChatTarget target)
    {
        if (string.IsNullOrEmpty(target.Secret)) return target.WebhookUrl;
        var ts = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var separator = target.WebhookUrl.Contains('?') ? '&' : '?';
        return $"{target.WebhookUrl}{separator}timestamp={ts}&sign={DingTalkSignature.Sign(ts, target.Secret)}";
    }

    protected override JsonObject Body(ChatTarget target, Notice notice, string text)
    {
        var people = notice.MentionedRecipients.Select(r => r.ChatId!).ToList();
        return new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["title"] = notice.Title, ["text"] = Fit(text, MaxTextBytes) },
            ["at"] = new JsonObject
            {
                ["atMobiles"] = new JsonArray([.. people.Where(IsMobile).Select(p => JsonValue.Create(p))]),
                ["atUserIds"] = new JsonArray([.. people.Where(p => !IsMobile(p)).Select(p => JsonValue.Create(p))]),
                ["isAtAll"] = false,
            },
        };
    }

    private sealed class DingTalkDialect : MarkdownDialect
    {
        public override string Who(NoticeRecipient recipient) => recipient.IsBound ? "@" + recipient.ChatId : Escape(recipient.Login);
    }
}
