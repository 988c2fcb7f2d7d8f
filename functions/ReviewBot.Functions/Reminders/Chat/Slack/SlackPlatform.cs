using System.Text;
using System.Text.Json.Nodes;

namespace ReviewBot.Functions.Reminders.Chat.Slack;

/// <summary>
/// Slack incoming webhook: <c>blocks</c> of mrkdwn sections (each at most 3000 characters, at most 50 blocks) mentioning with
/// <c>&lt;@U…&gt;</c>, and a plain <c>text</c> fallback for notifications that carries the mentions too. Incoming webhooks are
/// not signed (the URL is the credential). Limit: one message a second with short bursts, modelled as 3 in any 3 seconds.
/// </summary>
public sealed class SlackPlatform(IHttpClientFactory http, NoticeTemplates templates, ChatRateLimits limits, TimeProvider time)
    : ChatPlatformBase(http, templates, limits, time)
{
    public const int MaxSectionChars = 3000;
    public const int MaxBlocks = 50;

    private static readonly RateLimitRule[] Limits = [new(3, TimeSpan.FromSeconds(3))];

    public override string Name => "slack";

    public override IChatDialect Dialect { get; } = new SlackDialect();

    public override IReadOnlyList<RateLimitRule> RateLimits => Limits;

    protected override JsonObject Body(ChatTarget target, Notice notice, string text)
    {
        var mentions = notice.MentionedRecipients.Select(Dialect.Who);
        var blocks = new JsonArray();
        foreach (var chunk in Chunks(text).Take(MaxBlocks))
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = chunk },
            });
        }

        return new JsonObject
        {
            ["text"] = $"{Dialect.Escape(notice.Title)} {string.Join(' ', mentions)}".Trim(),
            ["blocks"] = blocks,
        };
    }

    /// <summary>The text in pieces of at most <see cref="MaxSectionChars"/>, cut at line ends where possible.</summary>
    public static IEnumerable<string> Chunks(string text)
    {
        var current = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var rest = line;
            while (rest.Length > MaxSectionChars)
            {
                if (current.Length > 0) { yield return current.ToString(); current.Clear(); }
                yield return rest[..MaxSectionChars];
                rest = rest[MaxSectionChars..];
            }

            if (current.Length > 0 && current.Length + rest.Length + 1 > MaxSectionChars)
            {
                yield return current.ToString();
                current.Clear();
            }

            if (current.Length > 0) current.Append('\n');
            current.Append(rest);
        }

        if (current.Length > 0) yield return current.ToString();
    }

    private sealed class SlackDialect : IChatDialect
    {
        public string Who(NoticeRecipient recipient) => recipient.IsBound ? $"<@{recipient.ChatId}>" : Escape(recipient.Login);

        /// <summary>Slack's three control characters.</summary>
        public string Escape(string text) =>
            text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace('\n', ' ');

        public string DigestTemplate => """
            *{{ title }}*
            {% for s in sections %}
            {{ s.who }}
            {% for i in s.items %}• <{{ i.url }}|{{ i.ref }}> {{ i.title }}: {{ i.reason }}, waiting {{ i.waiting }}{% if i.details.size > 0 %} ({{ i.details | join: ", " }}){% endif %}
            {% endfor %}{% endfor %}
            """;

        public string EscalationTemplate => """
            *{{ title }}*
            {{ mentions | join: " " }} these reminders went unanswered:
            {% for s in sections %}{% for i in s.items %}• <{{ i.url }}|{{ i.ref }}> {{ i.title }}: {{ i.reason }}, waiting on {{ s.who }} for {{ i.waiting }}{% if i.details.size > 0 %} ({{ i.details | join: ", " }}){% endif %}
            {% endfor %}{% endfor %}
            """;

        public string StatusTemplate => """
            *{{ title }}*
            {% for s in sections %}{% for i in s.items %}• <{{ i.url }}|{{ i.ref }}> {{ i.title }}: {{ i.reason }}{% if s.login != "" %}, waiting on {{ s.login }}{% endif %} for {{ i.waiting }}
            {% endfor %}{% else %}Nothing is waiting on anyone.
            {% endfor %}
            """;
    }
}
