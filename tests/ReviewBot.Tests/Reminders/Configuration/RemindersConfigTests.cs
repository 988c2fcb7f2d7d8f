using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Tests.Reminders.Configuration;

public class RemindersConfigTests
{
    private static ReviewConfig Parse(string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        ConfigLoader.Parse(yaml, "reviewbot.yaml", name => environment?.GetValueOrDefault(name), [new RemindersSection()]);

    [Fact]
    public void Parse_ReadsTheWholeSection_WithSecretsFromTheEnvironment()
    {
        var config = Parse("""
            reminders:
              schedule: { cron: "0 10 * * 1-5", timeZone: Asia/Shanghai }
              policy: { minAge: 1d12h, minStaleness: 30m, escalateAfter: 4, ciPendingThreshold: 2h }
              platforms:
                dingtalk: { appSecret: "${env:REVIEWBOT_TEST_DINGTALK_SECRET}" }
              repos:
                - { host: gitlab, repository: group/sub/project, platform: dingtalk, webhook: "https://oapi.example/robot/send?access_token=x",
                    secret: "${env:REVIEWBOT_TEST_DINGTALK_SECRET}", admins: [lead], ciOwners: [ops], mergers: [rel] }
              users:
                wang: { dingtalk: "13800001111", timeZone: Asia/Shanghai, workingHours: "10:00-19:00", workdays: [mon, tue, sat] }
              templates:
                dingtalk:
                  digest: "{% for s in sections %}{{ s.who }}{% endfor %}"
            """, new Dictionary<string, string> { ["REVIEWBOT_TEST_DINGTALK_SECRET"] = "SECfromenv" }).Reminders;

        Assert.Equal("Asia/Shanghai", config.Schedule!.TimeZone.Id);
        Assert.Equal(new ReminderPolicy(TimeSpan.FromHours(36), TimeSpan.FromMinutes(30), 4, TimeSpan.FromHours(2)), config.Policy);
        Assert.Equal("SECfromenv", config.Inbound.DingTalkAppSecret);
        var repo = Assert.Single(config.Repos);
        Assert.Equal(("gitlab", "group/sub/project", "SECfromenv"), (repo.Host, repo.Repository, repo.Secret));
        var wang = config.Users["WANG"];
        Assert.Equal(new TimeOnly(10, 0), wang.Hours.Start);
        Assert.Contains(DayOfWeek.Saturday, wang.Hours.Days);
        Assert.True(config.Templates.ContainsKey(("dingtalk", NoticeKind.Digest)));
    }

    [Fact]
    public void Parse_ReportsEveryProblemWithItsLineAndColumn()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("""
            reminders:
              schedule: { cron: "not cron" }
              policy: { escalateAfter: 0, minAge: soon }
              repos:
                - { repository: org/app, platform: teams, webhook: "https://x" }
                - { repository: org/lib, platform: slack, webhook: "${env:REVIEWBOT_TEST_UNSET_VARIABLE}" }
              users:
                ann: { timeZone: Mars/Base, workingHours: "9-5", slak: U1 }
              templates:
                slack:
                  digest: "{% for s in %}"
            """));

        var errors = e.Errors.Select(x => $"{x.Line}:{x.Column} {x.Message.Split(':')[0]}").ToList();
        Assert.Equal(
        [
            "2:21 reminders.schedule.cron",
            "3:28 reminders.policy.escalateAfter",
            "3:39 reminders.policy.minAge",
            "5:40 reminders.repos[0].platform",
            "6:56 reminders.repos[1].webhook",
            "8:22 reminders.users.ann.timeZone",
            "8:47 reminders.users.ann.workingHours",
            "8:54 reminders.users.ann.slak",
            "11:15 reminders.templates.slack.digest",
        ], errors);
    }

    // Reminder secrets take ${env:NAME} from the load's environment, as job secrets do (in the app: every configuration
    // source, ConfigurationRegistrationTests), never from the process environment behind its back.
    [Fact]
    public void Secrets_ComeFromTheLoadsEnvironment_NotTheProcess()
    {
        const string yaml = """
            reminders:
              repos:
                - { repository: org/app, platform: slack, webhook: "${env:REVIEWBOT_TEST_REMINDER_HOOK}" }
            """;
        Environment.SetEnvironmentVariable("REVIEWBOT_TEST_REMINDER_HOOK", "https://process.example/hook");

        var repo = Assert.Single(Parse(yaml, new Dictionary<string, string> { ["REVIEWBOT_TEST_REMINDER_HOOK"] = "https://injected.example/hook" }).Reminders.Repos);
        var error = Assert.Single(Assert.Throws<ConfigException>(() => Parse(yaml, new Dictionary<string, string>())).Errors);

        Assert.Equal("https://injected.example/hook", repo.WebhookUrl);
        Assert.Equal((3, 56, "reminders.repos[0].webhook: the setting or environment variable 'REVIEWBOT_TEST_REMINDER_HOOK' is not set (or empty)"),
            (error.Line, error.Column, error.Message));
    }

    [Fact]
    public void AFileWithoutReminders_RemindsNobody() => Assert.Same(RemindersConfig.None, Parse("linters: {}").Reminders);
}
