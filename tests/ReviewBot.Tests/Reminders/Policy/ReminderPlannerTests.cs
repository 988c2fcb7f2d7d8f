using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Configuration;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reminders.Policy;
using static ReviewBot.Tests.Reminders.Policy.Snapshots;

namespace ReviewBot.Tests.Reminders.Policy;

public class ReminderPlannerTests
{
    // Monday 2025-03-03 08:00 UTC: 09:00 in Berlin, 16:00 in Shanghai.
    private static readonly DateTimeOffset Monday8Utc = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private const string Yaml = """
        reminders:
          schedule: { cron: "0 * * * *", timeZone: "UTC" }
          policy: { minAge: 4h, minStaleness: 1d, escalateAfter: 2 }
          repos:
            - { repository: org/app, platform: slack, webhook: "https://hooks.example/app", admins: [lead] }
            - { repository: org/lib, platform: slack, webhook: "https://hooks.example/app", admins: [lead] }
            - { repository: org/web, platform: wecom, webhook: "https://hooks.example/web" }
          users:
            berta: { slack: U0BERTA, wecom: berta, timeZone: Europe/Berlin, workingHours: "09:00-17:00" }
            chen: { slack: U0CHEN, timeZone: Asia/Shanghai, workingHours: "09:00-18:00", workdays: [mon, tue, wed, thu, fri] }
            lead: { slack: U0LEAD, timeZone: Europe/Berlin }
        """;

    private static readonly RemindersConfig Config = ConfigLoader.Parse(Yaml, "reviewbot.yaml", sections: [new RemindersSection()]).Reminders;

    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Ids = new()
    {
        ["slack"] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["berta"] = "U0BERTA", ["chen"] = "U0CHEN", ["lead"] = "U0LEAD" },
        ["wecom"] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["berta"] = "berta" },
    };

    private static ReminderPlan Plan(IReadOnlyList<Blocking> blockings, DateTimeOffset now, IEnumerable<ResponseRecord>? responses = null) =>
        ReminderPlanner.Plan(blockings, Config, Ids, responses ?? [], now);

    [Fact]
    public void OnePersonWithSeveralPullRequests_GetsOneSectionPerGroup_AndUnboundPeopleAreNamedInPlainText()
    {
        var old = Monday8Utc.AddDays(-5);
        var plan = Plan(
        [
            Blocked("org/app", 1, BlockReason.ReviewRequested, ["berta", "chen"], old, old),
            Blocked("org/lib", 2, BlockReason.ReviewRequested, ["berta"], old, old),
            Blocked("org/app", 3, BlockReason.FailingCi, ["dora"], old, old),
            Blocked("org/web", 4, BlockReason.ChangesRequested, ["berta"], old, old),
        ], Monday8Utc.AddHours(1)); // 09:00 UTC, the unlisted dora's default hours

        Assert.Equal(2, plan.Messages.Count);
        var slack = plan.Messages.Single(m => m.Target.Platform == "slack").Notice;
        Assert.Equal(["berta", "chen", "dora"], slack.Sections.Select(s => s.Recipient!.Login));
        Assert.Equal(["org/app#1", "org/lib#2"], slack.Sections[0].Items.Select(i => i.Reference));
        Assert.Null(slack.Sections[2].Recipient!.ChatId);
        Assert.Equal(["U0BERTA", "U0CHEN"], slack.MentionedRecipients.Select(r => r.ChatId));
        var wecom = plan.Messages.Single(m => m.Target.Platform == "wecom").Notice;
        Assert.Equal("berta", Assert.Single(wecom.Sections).Recipient!.ChatId);
    }

    [Fact]
    public void WorkingHours_AreEachRecipientsOwn_InTheirTimeZone()
    {
        var old = Monday8Utc.AddDays(-5);
        var blockings = new[] { Blocked("org/app", 1, BlockReason.ReviewRequested, ["berta", "chen"], old, old) };
        var time = new FakeTimeProvider(Monday8Utc.AddHours(-2)); // 06:00 UTC: 07:00 Berlin, 14:00 Shanghai
        var seen = new List<string>();
        for (var hour = 0; hour < 24; hour++)
        {
            var plan = Plan(blockings, time.GetUtcNow());
            var people = plan.Messages.SelectMany(m => m.Notice.Sections).Select(s => s.Recipient!.Login).ToList();
            seen.Add($"{time.GetUtcNow():HH}:{string.Join('+', people)}");
            time.Advance(TimeSpan.FromHours(1));
        }

        // chen: 09–18 Shanghai = 01–10 UTC; berta: 09–17 Berlin (UTC+1 in March) = 08–16 UTC.
        Assert.Equal(
            ["06:chen", "07:chen", "08:berta+chen", "09:berta+chen", "10:berta", "11:berta", "12:berta", "13:berta", "14:berta", "15:berta",
             "16:", "17:", "18:", "19:", "20:", "21:", "22:", "23:", "00:", "01:chen", "02:chen", "03:chen", "04:chen", "05:chen"],
            seen);
    }

    [Fact]
    public void NobodyIsRemindedOfDraftsYoungOrRecentlyActivePullRequests()
    {
        var old = Monday8Utc.AddDays(-5);
        var plan = Plan(
        [
            Blocked("org/app", 1, BlockReason.Draft, ["berta"], old, old),
            Blocked("org/app", 2, BlockReason.ReviewRequested, ["berta"], Monday8Utc.AddHours(-3), Monday8Utc.AddHours(-3)),
            Blocked("org/app", 3, BlockReason.ReviewRequested, ["berta"], old, Monday8Utc.AddHours(-23)),
            Blocked("org/app", 4, BlockReason.Undetermined, ["berta"], old, old),
        ], Monday8Utc);

        Assert.Empty(plan.Messages);
        Assert.Equal(["Draft: nobody to remind", "younger than minAge", "activity within minStaleness", "Undetermined: nobody to remind"],
            plan.Skipped.Select(s => s.Why));
    }

    [Fact]
    public void SnoozeAckAndEscalation_OverSimulatedDays()
    {
        var time = new FakeTimeProvider(Monday8Utc.AddHours(1)); // 10:00 Berlin
        var created = Monday8Utc.AddDays(-3);
        var pr = Blocked("org/app", 7, BlockReason.ReviewRequested, ["berta"], created, created);
        var key = PullRequestKey.Of(pr.PullRequest);
        var responses = new Dictionary<string, ResponseRecord>();
        var log = new List<string>();

        void Day(Blocking blocking)
        {
            var plan = Plan([blocking], time.GetUtcNow(), responses.Values);
            foreach (var m in plan.Messages)
            {
                foreach (var r in m.Reminders)
                    responses[r.Login] = ReminderRun.Counted(responses.GetValueOrDefault(r.Login) ?? new ResponseRecord(r.PullRequest, r.Login), r, time.GetUtcNow());
                foreach (var r in m.Escalations)
                    responses[r.Login] = responses[r.Login] with { EscalatedAt = time.GetUtcNow() };
            }

            log.Add(string.Join("+", plan.Messages.Select(m => m.Notice.Kind)) is { Length: > 0 } kinds ? kinds : plan.Skipped.Single().Why);
            time.Advance(TimeSpan.FromDays(1));
        }

        Day(pr);                        // Mon: reminder 1
        Day(pr);                        // Tue: reminder 2
        Day(pr);                        // Wed: 2 unanswered → escalation, and still the reminder
        Day(pr);                        // Thu: escalated already: reminder only
        responses["berta"] = responses["berta"] with { SnoozedUntil = time.GetUtcNow().AddDays(4), RemindersSent = 0 };
        Day(pr);                        // Fri: snoozed
        Day(pr);                        // Sat: snoozed (and weekend)
        Day(pr);                        // Sun
        Day(pr);                        // Mon: snoozed until Tue 09:00 UTC
        Day(pr);                        // Tue 09:00 UTC: snooze over: reminder
        responses["berta"] = responses["berta"] with { AckedAt = time.GetUtcNow() };
        Day(pr);                        // Wed: acknowledged
        var touched = pr.Touched(time.GetUtcNow().AddHours(-20));
        Day(touched);                   // Thu: activity after the ack, but within minStaleness
        Day(touched);                   // Fri: reminded again, counting from 1

        Assert.Equal(
        [
            "Digest", "Digest", "Digest+Escalation", "Digest",
            $"snoozed until {Monday8Utc.AddDays(8).AddHours(1):u}", "snoozed until " + $"{Monday8Utc.AddDays(8).AddHours(1):u}",
            $"snoozed until {Monday8Utc.AddDays(8).AddHours(1):u}", $"snoozed until {Monday8Utc.AddDays(8).AddHours(1):u}",
            "Digest", "acknowledged, and no activity since", "activity within minStaleness", "Digest",
        ], log);
        Assert.Equal(1, responses["berta"].RemindersSent);
        Assert.Null(responses["berta"].EscalatedAt);
        Assert.Equal(key, responses["berta"].PullRequest);
    }

    [Fact]
    public void Escalation_MentionsTheRepositoryAdmins()
    {
        var old = Monday8Utc.AddDays(-5);
        var pr = Blocked("org/app", 9, BlockReason.ReadyToMerge, ["chen"], old, old);
        var answered = new ResponseRecord(PullRequestKey.Of(pr.PullRequest), "chen", RemindersSent: 2, SeenActivityAt: old);

        var plan = Plan([pr], Monday8Utc, [answered]);

        var escalation = plan.Messages.Single(m => m.Notice.Kind == NoticeKind.Escalation);
        Assert.Equal("U0LEAD", Assert.Single(escalation.Notice.Mentions).ChatId);
        Assert.Equal("chen", escalation.Notice.Sections.Single().Recipient!.Login);
        Assert.Equal("chen", Assert.Single(escalation.Escalations).Login);
    }
}
