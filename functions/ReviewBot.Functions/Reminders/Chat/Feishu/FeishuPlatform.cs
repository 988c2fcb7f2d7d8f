using System.Text.Json.Nodes;

namespace ReviewBot.Functions.Reminders.Chat.Feishu;

/// <summary>
/// Feishu custom bot, and Lark's (the same API on open.larksuite.com: register it under the name "lark"). Sends an interactive
/// card whose body is lark_md with <c>&lt;at id=ou_…&gt;&lt;/at&gt;</c> mentions; signs with <c>timestamp</c> + <c>sign</c> in the body.
/// Limits: 5 messages a second and 100 a minute per bot, bodies up to 20 KB.
/// </summary>
public sealed class FeishuPlatform(string name, IHttpClientFactory http, NoticeTemplates templates, ChatRateLimits limits, TimeProvider time)
    : ChatPlatformBase(http, templates, limits, time)
{
    /// <summary>The largest request body the platform accepts.</summary>
    public const int MaxBodyBytes = 20 * 1024;

    private static readonly RateLimitRule[] Limits = [new(5, TimeSpan.FromSeconds(1)), new(100, TimeSpan.FromMinutes(1))];

    public override string Name => name;

    public override IChatDialect Dialect { get; } = new FeishuDialect();

    public override IReadOnlyList<RateLimitRule> RateLimits => Limits;

    protected override JsonObject Body(ChatTarget target, Notice notice, string text)
    {
        var body = new JsonObject();
        if (!string.IsNullOrEmpty(target.Secret))
        {
            var ts = Time.GetUtcNow().ToUnixTimeSeconds();
            body["timestamp"] = ts.ToString(System.Globalization.CultureInfo.InvariantCulture);
            body["sign"] = FeishuSignature.Sign(ts, target.Secret);
        }

        body["msg_type"] = "interactive";
        body["card"] = Card(notice, text);
        var overhead = System.Text.Encoding.UTF8.GetByteCount(body.ToJsonString()) - System.Text.Encoding.UTF8.GetByteCount(text);
        if (overhead + System.Text.Encoding.UTF8.GetByteCount(text) > MaxBodyBytes)
        {
            // JSON escaping can grow the text; leave room for it.
            body["card"] = Card(notice, Fit(text, (MaxBodyBytes - overhead) * 3 / 4));
        }

        return body;
    }

    private static JsonObject Card(Notice notice, string text) => new()
    {
        ["config"] = new JsonObject { ["wide_screen_mode"] = true },
        ["header"] = new JsonObject
        {
            ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = notice.Title },
            ["template"] = notice.Kind switch { NoticeKind.Escalation => "red", NoticeKind.Digest => "orange", _ => "blue" },
        },
        ["elements"] = new JsonArray(new JsonObject
        {
            ["tag"] = "div",
            ["text"] = new JsonObject { ["tag"] = "lark_md", ["content"] = text },
        }),
    };

    private sealed class FeishuDialect : MarkdownDialect
    {
        public override string Who(NoticeRecipient recipient) =>
            recipient.IsBound ? $"<at id={recipient.ChatId}></at>" : Escape(recipient.Login);

        /// <summary>'&lt;' would open a tag in lark_md.</summary>
        public override string Escape(string text) => base.Escape(text).Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
