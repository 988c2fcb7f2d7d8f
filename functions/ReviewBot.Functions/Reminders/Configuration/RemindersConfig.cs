using Cronos;
using Fluid;
using ReviewBot.Functions.Reminders.Chat;

namespace ReviewBot.Functions.Reminders.Configuration;

/// <summary>
/// The <c>reminders:</c> section (DESIGN §7; format in the README, "Reminders in chat"). Validated at load like the rest of
/// the file; secrets written <c>${env:NAME}</c> are read from the environment then.
/// </summary>
public sealed record RemindersConfig(
    ReminderSchedule? Schedule,
    IReadOnlyList<ReminderRepo> Repos,
    IReadOnlyDictionary<string, ReminderUser> Users,
    ReminderPolicy Policy,
    ChatInbound Inbound,
    IReadOnlyDictionary<(string Platform, NoticeKind Kind), IFluidTemplate> Templates)
{
    /// <summary>No section: nothing is reminded, the chat endpoint refuses every platform.</summary>
    public static RemindersConfig None { get; } = new(
        null, [], new Dictionary<string, ReminderUser>(StringComparer.OrdinalIgnoreCase), ReminderPolicy.Default, ChatInbound.None,
        new Dictionary<(string, NoticeKind), IFluidTemplate>());

    /// <summary>The configured repository named <paramref name="repository"/> (case-insensitive), on any host.</summary>
    public ReminderRepo? FindRepo(string repository) =>
        Repos.FirstOrDefault(r => string.Equals(r.Repository, repository, StringComparison.OrdinalIgnoreCase));
}

/// <summary>When the scheduled run fires: a five-field cron expression read in <paramref name="TimeZone"/>.</summary>
public sealed record ReminderSchedule(string Cron, CronExpression Expression, TimeZoneInfo TimeZone);

/// <summary>One repository whose pull requests are reminded about, and the chat group they go to.</summary>
/// <param name="Host">"github" or "gitlab".</param>
/// <param name="Secret">The group robot's signing secret (Feishu/Lark, DingTalk), when signing is on.</param>
/// <param name="Admins">Git logins mentioned when reminders go unanswered (escalation).</param>
/// <param name="CiOwners">Git logins blocked on by CI pending too long.</param>
/// <param name="Mergers">Git logins who merge approved pull requests (else the author).</param>
public sealed record ReminderRepo(
    string Host,
    string Repository,
    string Platform,
    string WebhookUrl,
    string? Secret,
    IReadOnlyList<string> Admins,
    IReadOnlyList<string> CiOwners,
    IReadOnlyList<string> Mergers)
{
    public ChatTarget Target => new(Platform, WebhookUrl, Secret);
}

/// <summary>A person: chat ids per platform, and when they may be reminded.</summary>
/// <param name="ChatIds">Platform name → the user's id there (Slack member id, Feishu open_id, DingTalk user id or mobile, WeCom userid).</param>
public sealed record ReminderUser(
    string Login,
    IReadOnlyDictionary<string, string> ChatIds,
    WorkingHours Hours);

/// <summary>When someone works: local <paramref name="Start"/>–<paramref name="End"/> on <paramref name="Days"/> in <paramref name="TimeZone"/>.</summary>
public sealed record WorkingHours(TimeZoneInfo TimeZone, TimeOnly Start, TimeOnly End, IReadOnlySet<DayOfWeek> Days)
{
    public static readonly IReadOnlySet<DayOfWeek> Weekdays =
        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };

    /// <summary>09:00–18:00, Monday to Friday, in <paramref name="zone"/>.</summary>
    public static WorkingHours Default(TimeZoneInfo zone) => new(zone, new TimeOnly(9, 0), new TimeOnly(18, 0), Weekdays);

    /// <summary>Whether <paramref name="at"/> falls in these hours (an end before the start spans midnight).</summary>
    public bool Contains(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (Start <= End)
        {
            return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
        }

        // Overnight: the part after midnight belongs to the previous day's shift.
        return time >= Start ? Days.Contains(local.DayOfWeek) : time < End && Days.Contains(local.AddDays(-1).DayOfWeek);
    }
}

/// <summary>Who gets reminded of what, and when it escalates.</summary>
/// <param name="MinAge">A pull request younger than this is not reminded about.</param>
/// <param name="MinStaleness">Nor one with activity more recent than this.</param>
/// <param name="EscalateAfter">Unanswered reminders to one person about one pull request before its repository's admins are told.</param>
/// <param name="CiPendingThreshold">CI pending longer than this blocks on the CI owners (used by the analysis).</param>
public sealed record ReminderPolicy(TimeSpan MinAge, TimeSpan MinStaleness, int EscalateAfter, TimeSpan CiPendingThreshold)
{
    public static ReminderPolicy Default { get; } = new(TimeSpan.FromHours(4), TimeSpan.FromHours(24), 3, TimeSpan.FromHours(1));
}

/// <summary>
/// The secrets that authenticate requests to <c>POST /api/chat/{platform}/events</c>; a platform with none set is refused.
/// Where the platform's signature does not cover the message (DingTalk's outgoing robot; WeCom without an EncodingAESKey;
/// Feishu/Lark without an Encrypt Key) commands are refused unless that platform's <c>acceptUnsignedBody</c> is true
/// (<see cref="ReviewBot.Functions.Reminders.Chat.ChatInboundModes"/>).
/// </summary>
/// <param name="SlackSigningSecret">The Slack app's signing secret.</param>
/// <param name="FeishuEncryptKey">The Feishu/Lark app's Encrypt Key (signature and encrypted bodies).</param>
/// <param name="FeishuVerificationToken">The app's Verification Token (the <c>url_verification</c> challenge without encryption).</param>
/// <param name="DingTalkAppSecret">The DingTalk app secret of the outgoing robot.</param>
/// <param name="WeComToken">The token of the WeCom robot's callback (its signatures).</param>
/// <param name="WeComEncodingAesKey">The callback's EncodingAESKey (43 characters): encrypted mode, where the signature covers the message.</param>
/// <param name="WeComReceiveId">The ReceiveId the decrypted messages must carry: "" for a smart robot (the default), the corp id for an app.</param>
/// <param name="UnsignedBodyAccepted">Platforms ("feishu" for Feishu and Lark, "dingtalk", "wecom") whose commands are
/// accepted although the signature does not cover the body; replays are still refused.</param>
public sealed record ChatInbound(
    string? SlackSigningSecret,
    string? FeishuEncryptKey,
    string? FeishuVerificationToken,
    string? DingTalkAppSecret,
    string? WeComToken,
    string? WeComEncodingAesKey = null,
    string WeComReceiveId = "",
    IReadOnlySet<string>? UnsignedBodyAccepted = null)
{
    public static ChatInbound None { get; } = new(null, null, null, null, null);

    /// <summary>Whether <paramref name="family"/> ("feishu", "dingtalk", "wecom") accepts commands whose body is not signed.</summary>
    public bool AcceptsUnsignedBody(string family) => UnsignedBodyAccepted?.Contains(family) == true;
}
