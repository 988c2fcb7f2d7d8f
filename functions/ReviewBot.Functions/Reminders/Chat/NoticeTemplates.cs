using System.Globalization;
using Fluid;

namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>
/// Liquid (Fluid) templates that turn a <see cref="Notice"/> into a platform's message text. Every platform has a built-in
/// template per <see cref="NoticeKind"/>; <c>reminders.templates.&lt;platform&gt;.&lt;kind&gt;</c> in the YAML replaces one (parsed,
/// and so validated, at load). Thread-safe: parsed templates are immutable.
/// </summary>
/// <remarks>
/// The model: <c>title</c>, <c>kind</c>, <c>mentions</c> (rendered mentions of the escalation admins), and <c>sections</c>, each
/// with <c>who</c> (a mention, or the login in plain text when unbound), <c>login</c>, <c>bound</c> and <c>items</c>; an item
/// has <c>ref</c>, <c>title</c>, <c>url</c>, <c>reason</c>, <c>since</c> ("2024-05-01 10:00 UTC"), <c>waiting</c> ("2d 3h")
/// and <c>details</c> (a list). Text values are already escaped for the platform.
/// </remarks>
public sealed class NoticeTemplates
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new();
    private readonly IReadOnlyDictionary<(string Platform, NoticeKind Kind), IFluidTemplate> _overrides;

    public NoticeTemplates(IReadOnlyDictionary<(string Platform, NoticeKind Kind), IFluidTemplate>? overrides = null) =>
        _overrides = overrides ?? new Dictionary<(string, NoticeKind), IFluidTemplate>();

    /// <summary>Parses a template; null and <paramref name="error"/> when it is not valid Liquid.</summary>
    public static IFluidTemplate? TryParse(string text, out string? error)
    {
        if (Parser.TryParse(text, out var template, out var message))
        {
            error = null;
            return template;
        }

        error = message;
        return null;
    }

    /// <summary>The built-in template text of a platform and kind (documentation and tests).</summary>
    public static string Default(IChatDialect dialect, NoticeKind kind) => kind switch
    {
        NoticeKind.Digest => dialect.DigestTemplate,
        NoticeKind.Escalation => dialect.EscalationTemplate,
        _ => dialect.StatusTemplate,
    };

    /// <summary>The message text of <paramref name="notice"/> for <paramref name="platform"/>, written in <paramref name="dialect"/>.</summary>
    public string Render(string platform, IChatDialect dialect, Notice notice)
    {
        var template = _overrides.TryGetValue((platform, notice.Kind), out var custom) ? custom
            : Defaults.GetOrAdd((dialect.GetType(), notice.Kind), key => TryParse(Default(dialect, key.Kind), out _)
                ?? throw new InvalidOperationException($"The built-in {platform} {key.Kind} template does not parse."));
        var context = new TemplateContext(Model(dialect, notice), Options, allowModelMembers: false);
        return template.Render(context).Trim();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, NoticeKind Kind), IFluidTemplate> Defaults = new();

    private static Dictionary<string, object?> Model(IChatDialect dialect, Notice notice) => new()
    {
        ["title"] = dialect.Escape(notice.Title),
        ["kind"] = notice.Kind.ToString().ToLowerInvariant(),
        ["mentions"] = notice.Mentions.Select(dialect.Who).ToList(),
        ["sections"] = notice.Sections.Select(s => new Dictionary<string, object?>
        {
            ["who"] = s.Recipient is null ? "" : dialect.Who(s.Recipient),
            ["login"] = s.Recipient?.Login ?? "",
            ["bound"] = s.Recipient?.IsBound ?? false,
            ["items"] = s.Items.Select(i => new Dictionary<string, object?>
            {
                ["ref"] = dialect.Escape(i.Reference),
                ["title"] = dialect.Escape(i.Title),
                ["url"] = i.Url,
                ["reason"] = Describe(i.Reason),
                ["since"] = i.Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                ["waiting"] = Waiting(notice.Now - i.Since),
                ["details"] = i.Details.Select(dialect.Escape).ToList(),
            }).ToList(),
        }).ToList(),
    };

    /// <summary>Whose move it is, as a phrase ("review requested").</summary>
    public static string Describe(BlockReason reason) => reason switch
    {
        BlockReason.MergeConflict => "merge conflict to resolve",
        BlockReason.FailingCi => "CI failing",
        BlockReason.CiStuck => "CI pending too long",
        BlockReason.ChangesRequested => "changes requested",
        BlockReason.ReReviewNeeded => "new commits to re-review",
        BlockReason.ReviewRequested => "review requested",
        BlockReason.ReadyToMerge => "approved, ready to merge",
        BlockReason.BehindBase => "branch behind its base",
        BlockReason.Draft => "draft",
        BlockReason.Undetermined => "mergeability not known yet",
        _ => "nothing blocks it",
    };

    /// <summary>"3d 4h", "5h", "12m".</summary>
    public static string Waiting(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d" + (span.Hours > 0 ? $" {span.Hours}h" : "")
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h"
            : $"{(int)span.TotalMinutes}m";
    }
}

/// <summary>How a platform writes mentions, escapes text and words its built-in templates.</summary>
public interface IChatDialect
{
    /// <summary>A bound recipient as the platform's mention; an unbound one as the login in plain text.</summary>
    string Who(NoticeRecipient recipient);

    /// <summary>Text made safe to put inside the platform's markup.</summary>
    string Escape(string text);

    string DigestTemplate { get; }
    string EscalationTemplate { get; }
    string StatusTemplate { get; }
}

/// <summary>Templates in Markdown links (<c>[text](url)</c>), shared by Feishu's lark_md, DingTalk and WeCom.</summary>
public abstract class MarkdownDialect : IChatDialect
{
    public abstract string Who(NoticeRecipient recipient);

    /// <summary>Brackets would break a link's text; newlines would break a list item.</summary>
    public virtual string Escape(string text) =>
        text.Replace('\n', ' ').Replace('\r', ' ').Replace("[", "(").Replace("]", ")");

    public virtual string DigestTemplate => """
        **{{ title }}**
        {% for s in sections %}
        {{ s.who }}
        {% for i in s.items %}- [{{ i.ref }}]({{ i.url }}) {{ i.title }}: {{ i.reason }}, waiting {{ i.waiting }}{% if i.details.size > 0 %} ({{ i.details | join: ", " }}){% endif %}
        {% endfor %}{% endfor %}
        """;

    public virtual string EscalationTemplate => """
        **{{ title }}**
        {{ mentions | join: " " }} these reminders went unanswered:
        {% for s in sections %}{% for i in s.items %}- [{{ i.ref }}]({{ i.url }}) {{ i.title }}: {{ i.reason }}, waiting on {{ s.who }} for {{ i.waiting }}{% if i.details.size > 0 %} ({{ i.details | join: ", " }}){% endif %}
        {% endfor %}{% endfor %}
        """;

    public virtual string StatusTemplate => """
        **{{ title }}**
        {% for s in sections %}{% for i in s.items %}- [{{ i.ref }}]({{ i.url }}) {{ i.title }}: {{ i.reason }}{% if s.login != "" %}, waiting on {{ s.login }}{% endif %} for {{ i.waiting }}
        {% endfor %}{% else %}Nothing is waiting on anyone.
        {% endfor %}
        """;
}
