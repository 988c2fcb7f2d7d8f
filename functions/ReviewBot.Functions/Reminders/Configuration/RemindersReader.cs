using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using Fluid;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reminders.Chat.WeCom;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Reminders.Configuration;

/// <summary>
/// Reads the <c>reminders:</c> section (README "Reminders in chat") for <see cref="RemindersSection"/>. Same rules as the
/// rest of the file: every error with its position, keep going after one. Secrets written <c>${env:NAME}</c> take their
/// values from the load's <see cref="EnvReferences"/>. Not thread-safe: one per load.
/// </summary>
internal sealed partial class RemindersReader(ConfigSectionContext context) : YamlReader(context.Errors)
{
    private static readonly string[] ReminderKeys = ["schedule", "policy", "platforms", "repos", "users", "templates"];
    private static readonly string[] ScheduleKeys = ["cron", "timeZone"];
    private static readonly string[] PolicyKeys = ["minAge", "minStaleness", "escalateAfter", "ciPendingThreshold"];
    private static readonly string[] ReminderRepoKeys = ["host", "repository", "platform", "webhook", "secret", "admins", "ciOwners", "mergers"];
    private static readonly string[] UserKeys = [.. ChatPlatformNames.All, "timeZone", "workingHours", "workdays"];
    private static readonly string[] KindNames = ["digest", "escalation", "status"];
    private static readonly string[] Hosts = ["github", "gitlab"];

    public RemindersConfig Read(YamlNode node)
    {
        ReminderSchedule? schedule = null;
        var policy = ReminderPolicy.Default;
        var inbound = ChatInbound.None;
        var repos = new List<ReminderRepo>();
        var users = new List<(string Login, Dictionary<string, string> Ids, TimeZoneInfo? Zone, TimeOnly Start, TimeOnly End, IReadOnlySet<DayOfWeek> Days)>();
        var templates = new Dictionary<(string, NoticeKind), IFluidTemplate>();
        foreach (var (key, keyNode, value) in Entries(node, "reminders", "reminder settings"))
        {
            var path = $"reminders.{key}";
            switch (key)
            {
                case "schedule": schedule = ReadSchedule(value, path); break;
                case "policy": policy = ReadPolicy(value, path); break;
                case "platforms": inbound = ReadInbound(value, path); break;
                case "repos": repos = ReadReminderRepos(value, path); break;
                case "users":
                    foreach (var (login, loginNode, body) in Entries(value, path, "git logins"))
                    {
                        users.Add(ReadUser(login, body, $"{path}.{login}"));
                    }
                    break;
                case "templates": ReadTemplates(value, path, templates); break;
                default: UnknownKey(keyNode, key, path, "reminders setting", ReminderKeys); break;
            }
        }

        var zone = schedule?.TimeZone ?? TimeZoneInfo.Utc;
        var byLogin = new Dictionary<string, ReminderUser>(StringComparer.OrdinalIgnoreCase);
        foreach (var u in users)
        {
            byLogin[u.Login] = new ReminderUser(u.Login, u.Ids, new WorkingHours(u.Zone ?? zone, u.Start, u.End, u.Days));
        }

        return new RemindersConfig(schedule, repos, byLogin, policy, inbound, templates);
    }

    private ReminderSchedule? ReadSchedule(YamlNode node, string path)
    {
        string? cron = null;
        YamlNode? cronNode = null;
        var zone = TimeZoneInfo.Utc;
        foreach (var (key, keyNode, value) in Entries(node, path, "schedule settings (cron, timeZone)"))
        {
            switch (key)
            {
                case "cron": cron = ReadScalar(value, $"{path}.cron"); cronNode = value; break;
                case "timeZone": zone = ReadTimeZone(value, $"{path}.timeZone") ?? zone; break;
                default: UnknownKey(keyNode, key, $"{path}.{key}", "schedule setting", ScheduleKeys); break;
            }
        }

        if (cron is null)
        {
            if (!IsNull(node)) Report(node, path, $"'cron' is required, e.g. cron: \"0 10 * * 1-5\"");
            return null;
        }

        try
        {
            return new ReminderSchedule(cron, CronExpression.Parse(cron.Trim(), CronFormat.Standard), zone);
        }
        catch (CronFormatException ex)
        {
            return Report<ReminderSchedule>(cronNode!, $"{path}.cron", $"'{cron}' is not a five-field cron expression: {ex.Message}");
        }
    }

    private TimeZoneInfo? ReadTimeZone(YamlNode node, string path)
    {
        if (ReadScalar(node, path) is not { } id) return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return Report<TimeZoneInfo>(node, path, $"unknown time zone '{id}' (use an IANA name such as \"Europe/Berlin\" or \"Asia/Shanghai\")");
        }
    }

    private ReminderPolicy ReadPolicy(YamlNode node, string path)
    {
        var policy = ReminderPolicy.Default;
        foreach (var (key, keyNode, value) in Entries(node, path, "policy settings"))
        {
            var fieldPath = $"{path}.{key}";
            switch (key)
            {
                case "minAge": policy = policy with { MinAge = ReadSpan(value, fieldPath, allowZero: true) ?? policy.MinAge }; break;
                case "minStaleness": policy = policy with { MinStaleness = ReadSpan(value, fieldPath, allowZero: true) ?? policy.MinStaleness }; break;
                case "ciPendingThreshold": policy = policy with { CiPendingThreshold = ReadSpan(value, fieldPath, allowZero: false) ?? policy.CiPendingThreshold }; break;
                case "escalateAfter":
                    var text = ReadScalar(value, fieldPath);
                    if (text is null) break;
                    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= 1000)
                        policy = policy with { EscalateAfter = n };
                    else
                        Report(value, fieldPath, $"expected a whole number of reminders from 1 to 1000, found {Describe(value)}");
                    break;
                default: UnknownKey(keyNode, key, fieldPath, "policy setting", PolicyKeys); break;
            }
        }

        return policy;
    }

    /// <summary>A duration as for timeouts, plus days: "2d", "1d12h", "30m".</summary>
    private TimeSpan? ReadSpan(YamlNode node, string path, bool allowZero) =>
        ReadDuration(node, path, text => $"bad duration '{text}'; write e.g. \"2d\", \"4h\", \"1d12h\" or \"30m\"{(allowZero ? "" : " (more than zero)")}",
            withDays: true, accept: span => span > TimeSpan.Zero || (allowZero && span == TimeSpan.Zero));

    private ChatInbound ReadInbound(YamlNode node, string path)
    {
        var inbound = ChatInbound.None;
        var unsignedAccepted = new HashSet<string>();
        foreach (var (platform, keyNode, value) in Entries(node, path, "platform names"))
        {
            var p = $"{path}.{platform}";
            string[] keys = platform switch
            {
                "slack" => ["signingSecret"],
                "feishu" or "lark" => ["encryptKey", "verificationToken", "acceptUnsignedBody"],
                "dingtalk" => ["appSecret", "acceptUnsignedBody"],
                "wecom" => ["token", "encodingAESKey", "receiveId", "acceptUnsignedBody"],
                _ => [],
            };
            if (keys.Length == 0)
            {
                UnknownKey(keyNode, platform, p, "platform", ChatPlatformNames.All);
                continue;
            }

            foreach (var (key, fieldKey, fieldValue) in Entries(value, p, string.Join(", ", keys)))
            {
                if (!keys.Contains(key))
                {
                    UnknownKey(fieldKey, key, $"{p}.{key}", "setting", keys);
                    continue;
                }

                if (key == "acceptUnsignedBody")
                {
                    // Feishu and Lark share their keys, so they share this too.
                    if (ReadBool(fieldValue, $"{p}.{key}") == true) unsignedAccepted.Add(platform == "lark" ? "feishu" : platform);
                    continue;
                }

                var secret = ReadSecret(fieldValue, $"{p}.{key}");
                if (key == "encodingAESKey" && secret is not null && !WeComCrypto.IsValidKey(secret))
                {
                    Report(fieldValue, $"{p}.{key}", "expected WeCom's EncodingAESKey, 43 letters and digits (Base64 of 32 bytes)");
                    continue;
                }

                inbound = key switch
                {
                    "signingSecret" => inbound with { SlackSigningSecret = secret },
                    "encryptKey" => inbound with { FeishuEncryptKey = secret },
                    "verificationToken" => inbound with { FeishuVerificationToken = secret },
                    "appSecret" => inbound with { DingTalkAppSecret = secret },
                    "encodingAESKey" => inbound with { WeComEncodingAesKey = secret },
                    "receiveId" => inbound with { WeComReceiveId = secret ?? "" },
                    _ => inbound with { WeComToken = secret },
                };
            }
        }

        return inbound with { UnsignedBodyAccepted = unsignedAccepted };
    }

    /// <summary>A value that may be written <c>${env:NAME}</c> to take it from the load's environment.</summary>
    private string? ReadSecret(YamlNode node, string path)
    {
        if (ReadScalar(node, path) is not { } text) return null;
        if (!EnvReferences.TryParse(text, out var name)) return text;
        return context.Environment.ValueOf(name)
            ?? Report<string>(node, path, $"the setting or environment variable '{name}' is not set (or empty)");
    }

    private List<ReminderRepo> ReadReminderRepos(YamlNode node, string path)
    {
        var repos = new List<ReminderRepo>();
        if (IsNull(node)) return repos;
        if (node is not YamlSequenceNode list)
        {
            Report(node, path, $"expected a list of repositories (- repository: owner/name …), found {Describe(node)}");
            return repos;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            if (ReadReminderRepo(list.Children[i], $"{path}[{i}]") is { } repo)
            {
                if (repos.Any(r => r.Host == repo.Host && string.Equals(r.Repository, repo.Repository, StringComparison.OrdinalIgnoreCase)))
                    Report(list.Children[i], $"{path}[{i}]", $"{repo.Host} repository '{repo.Repository}' is listed twice");
                else
                    repos.Add(repo);
            }
        }

        return repos;
    }

    private ReminderRepo? ReadReminderRepo(YamlNode node, string path)
    {
        string host = "github";
        string? repository = null, platform = null, webhook = null, secret = null;
        IReadOnlyList<string> admins = [], ciOwners = [], mergers = [];
        foreach (var (key, keyNode, value) in Entries(node, path, "repository settings"))
        {
            var p = $"{path}.{key}";
            switch (key)
            {
                case "host":
                    var h = ReadScalar(value, p)?.Trim().ToLowerInvariant();
                    if (h is null) break;
                    if (Hosts.Contains(h)) host = h;
                    else Report(value, p, $"unknown host '{h}' (expected one of: {string.Join(", ", Hosts)})");
                    break;
                case "repository":
                    repository = ReadScalar(value, p)?.Trim();
                    if (repository is not null && !RepositoryPath().IsMatch(repository))
                    {
                        Report(value, p, $"'{repository}' is not a repository path such as 'owner/name' (GitLab: 'group/sub/project')");
                        repository = null;
                    }
                    break;
                case "platform":
                    platform = ReadScalar(value, p)?.Trim().ToLowerInvariant();
                    if (platform is not null && !ChatPlatformNames.All.Contains(platform))
                    {
                        Report(value, p, $"unknown platform '{platform}' (expected one of: {string.Join(", ", ChatPlatformNames.All)})");
                        platform = null;
                    }
                    break;
                case "webhook":
                    webhook = ReadSecret(value, p);
                    if (webhook is not null && !(Uri.TryCreate(webhook, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
                    {
                        Report(value, p, $"expected the group robot's http(s) URL");
                        webhook = null;
                    }
                    break;
                case "secret": secret = ReadSecret(value, p); break;
                case "admins": admins = ReadStringList(value, p) ?? []; break;
                case "ciOwners": ciOwners = ReadStringList(value, p) ?? []; break;
                case "mergers": mergers = ReadStringList(value, p) ?? []; break;
                default: UnknownKey(keyNode, key, p, "repository setting", ReminderRepoKeys); break;
            }
        }

        foreach (var (name, value) in new[] { ("repository", repository), ("platform", platform), ("webhook", webhook) })
        {
            if (value is null && !HasKey(node, name)) Report(node, path, $"'{name}' is required");
        }

        return repository is null || platform is null || webhook is null ? null
            : new ReminderRepo(host, repository, platform, webhook, secret, admins, ciOwners, mergers);
    }

    private (string, Dictionary<string, string>, TimeZoneInfo?, TimeOnly, TimeOnly, IReadOnlySet<DayOfWeek>) ReadUser(string login, YamlNode node, string path)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        TimeZoneInfo? zone = null;
        TimeOnly start = new(9, 0), end = new(18, 0);
        IReadOnlySet<DayOfWeek> days = WorkingHours.Weekdays;
        foreach (var (key, keyNode, value) in Entries(node, path, "chat ids and working hours"))
        {
            var p = $"{path}.{key}";
            if (ChatPlatformNames.All.Contains(key))
            {
                if (ReadScalar(value, p) is { } id && !string.IsNullOrWhiteSpace(id)) ids[key] = id.Trim();
                continue;
            }

            switch (key)
            {
                case "timeZone": zone = ReadTimeZone(value, p) ?? zone; break;
                case "workingHours":
                    var text = ReadScalar(value, p);
                    if (text is null) break;
                    var m = HoursRange().Match(text.Trim());
                    if (m.Success && TimeOnly.TryParseExact(m.Groups[1].Value, "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var s)
                        && TimeOnly.TryParseExact(m.Groups[2].Value, "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var e) && s != e)
                        (start, end) = (s, e);
                    else
                        Report(value, p, $"expected a range such as \"09:00-18:00\", found '{text}'");
                    break;
                case "workdays": days = ReadWorkdays(value, p) ?? days; break;
                default: UnknownKey(keyNode, key, p, "user setting", UserKeys); break;
            }
        }

        return (login, ids, zone, start, end, days);
    }

    private HashSet<DayOfWeek>? ReadWorkdays(YamlNode node, string path)
    {
        if (ReadItems(node, path) is not { } items) return null;
        var days = new HashSet<DayOfWeek>();
        foreach (var (text, itemNode) in items)
        {
            var day = Enum.GetValues<DayOfWeek>().Cast<DayOfWeek?>()
                .FirstOrDefault(d => d.ToString()!.StartsWith(text.Trim(), StringComparison.OrdinalIgnoreCase) && text.Trim().Length >= 2);
            if (day is { } d) days.Add(d);
            else Report(itemNode, path, $"'{text}' is not a day (mon, tue, wed, thu, fri, sat, sun)");
        }

        return days;
    }

    private void ReadTemplates(YamlNode node, string path, Dictionary<(string, NoticeKind), IFluidTemplate> templates)
    {
        foreach (var (platform, platformNode, kinds) in Entries(node, path, "platform names"))
        {
            if (!ChatPlatformNames.All.Contains(platform))
            {
                UnknownKey(platformNode, platform, $"{path}.{platform}", "platform", ChatPlatformNames.All);
                continue;
            }

            foreach (var (kind, kindNode, value) in Entries(kinds, $"{path}.{platform}", "message kinds (digest, escalation, status)"))
            {
                var p = $"{path}.{platform}.{kind}";
                if (!KindNames.Contains(kind))
                {
                    UnknownKey(kindNode, kind, p, "message kind", KindNames);
                    continue;
                }

                if (ReadScalar(value, p) is not { } text) continue;
                if (NoticeTemplates.TryParse(text, out var error) is { } template)
                    templates[(platform, Enum.Parse<NoticeKind>(kind, ignoreCase: true))] = template;
                else
                    Report(value, p, $"not a valid Liquid template: {error}");
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex HoursRange();
}
