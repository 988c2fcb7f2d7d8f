using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Functions.Reminders.Policy;

/// <summary>
/// Decides who is reminded of what, where, and when it escalates (DESIGN §7). Pure: the same inputs give the same plan.
/// </summary>
/// <remarks>
/// Rules, per pull request and person it waits on:
/// <list type="number">
/// <item>drafts, undetermined and unblocked pull requests remind nobody;</item>
/// <item>a pull request younger than <see cref="ReminderPolicy.MinAge"/>, or with activity in the last
/// <see cref="ReminderPolicy.MinStaleness"/>, reminds nobody;</item>
/// <item>a person who snoozed it is not reminded until the snooze ends; one who acknowledged it, until it has activity after the ack;</item>
/// <item>a person is reminded only in their working hours, in their time zone (unlisted people: 09:00–18:00 on weekdays in the schedule's zone);</item>
/// <item>after <see cref="ReminderPolicy.EscalateAfter"/> unanswered reminders (counted since the pull request last changed)
/// the repository's admins are told once, when at least one of them is in working hours; the person is still reminded;</item>
/// <item>one message per chat group: a section per person listing all their pull requests in that group's repositories
/// (a digest, not one message per pull request), and one escalation message per group.</item>
/// </list>
/// Git logins without a chat binding on the group's platform are named in plain text.
/// </remarks>
public static class ReminderPlanner
{
    private static readonly BlockReason[] Quiet = [BlockReason.Draft, BlockReason.Undetermined, BlockReason.Nobody];

    /// <param name="chatIds">Platform → (git login → chat id), case-insensitive logins.</param>
    /// <param name="responses">The stored responses, any order.</param>
    public static ReminderPlan Plan(
        IReadOnlyList<Blocking> blockings,
        RemindersConfig config,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> chatIds,
        IEnumerable<ResponseRecord> responses,
        DateTimeOffset now)
    {
        var byKey = responses.ToDictionary(r => (r.PullRequest.ToString(), r.Login.ToLowerInvariant()));
        var policy = config.Policy;
        var skipped = new List<Skipped>();
        var digests = new Dictionary<ChatTarget, Dictionary<string, List<(NoticeItem Item, Reminded Reminded)>>>();
        var escalations = new Dictionary<ChatTarget, (ReminderRepo Repo, Dictionary<string, List<(NoticeItem Item, Reminded Reminded)>> People)>();

        foreach (var blocking in blockings.OrderBy(b => b.PullRequest.Repository, StringComparer.OrdinalIgnoreCase).ThenBy(b => b.PullRequest.Number))
        {
            var pr = blocking.PullRequest;
            var key = PullRequestKey.Of(pr);
            var repo = config.Repos.FirstOrDefault(r => r.Host == pr.Host && string.Equals(r.Repository, pr.Repository, StringComparison.OrdinalIgnoreCase));
            var people = blocking.BlockedOn.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (repo is null || people.Count == 0 || Quiet.Contains(blocking.Reason))
            {
                skipped.AddRange(people.Select(p => new Skipped(key, p, repo is null ? "repository not configured" : $"{blocking.Reason}: nobody to remind")));
                continue;
            }

            var tooYoung = now - pr.CreatedAt < policy.MinAge;
            var tooFresh = now - pr.LastActivityAt < policy.MinStaleness;
            foreach (var login in people)
            {
                var response = byKey.GetValueOrDefault((key.ToString(), login.ToLowerInvariant()));
                var why = tooYoung ? "younger than minAge"
                    : tooFresh ? "activity within minStaleness"
                    : response?.SnoozedUntil > now ? $"snoozed until {response.SnoozedUntil:u}"
                    : response?.AckedAt >= pr.LastActivityAt ? "acknowledged, and no activity since"
                    : !HoursOf(config, login).Contains(now) ? "outside their working hours"
                    : null;
                if (why is not null)
                {
                    skipped.Add(new Skipped(key, login, why));
                    continue;
                }

                var item = new NoticeItem($"{pr.Repository}#{pr.Number}", pr.Title, pr.Url, blocking.Reason, blocking.Since, blocking.Details);
                var reminded = new Reminded(key, login, pr.LastActivityAt);
                Add(digests.GetOrAdd(repo.Target, () => new(StringComparer.OrdinalIgnoreCase)), login, (item, reminded));

                var sameVersion = response?.SeenActivityAt == pr.LastActivityAt;
                var count = sameVersion ? response!.RemindersSent : 0;
                var escalated = sameVersion && response!.EscalatedAt is not null;
                if (count >= policy.EscalateAfter && !escalated)
                {
                    if (repo.Admins.Count == 0)
                        skipped.Add(new Skipped(key, login, "escalation due, but the repository has no admins"));
                    else if (!repo.Admins.Any(a => HoursOf(config, a).Contains(now)))
                        skipped.Add(new Skipped(key, login, "escalation due, but no admin is in working hours"));
                    else
                        Add(escalations.GetOrAdd(repo.Target, () => (repo, new(StringComparer.OrdinalIgnoreCase))).People, login,
                            (item with { Details = [.. item.Details, $"{count} reminders unanswered"] }, reminded));
                }
            }
        }

        var messages = new List<PlannedMessage>();
        foreach (var (target, people) in digests)
        {
            var ids = chatIds.GetValueOrDefault(target.Platform);
            var sections = people.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                .Select(p => new NoticeSection(Recipient(p.Key, ids), p.Value.Select(v => v.Item).OrderBy(i => i.Since).ToList()))
                .ToList();
            messages.Add(new PlannedMessage(target,
                new Notice(NoticeKind.Digest, "Pull requests waiting on you", sections, [], now),
                [.. people.Values.SelectMany(v => v.Select(x => x.Reminded))], []));
        }

        foreach (var (target, (repo, people)) in escalations)
        {
            var ids = chatIds.GetValueOrDefault(target.Platform);
            var sections = people.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                .Select(p => new NoticeSection(Recipient(p.Key, ids), p.Value.Select(v => v.Item).ToList()))
                .ToList();
            var admins = repo.Admins.Select(a => Recipient(a, ids)).ToList();
            messages.Add(new PlannedMessage(target,
                new Notice(NoticeKind.Escalation, "Reminders unanswered", sections, admins, now),
                [], [.. people.Values.SelectMany(v => v.Select(x => x.Reminded))]));
        }

        return new ReminderPlan(messages, skipped);
    }

    /// <summary>The status answer for one repository: every open pull request and who it waits on, mentioning nobody.</summary>
    public static Notice Status(string repository, IReadOnlyList<Blocking> blockings, DateTimeOffset now)
    {
        var sections = blockings
            .OrderBy(b => b.PullRequest.Number)
            .SelectMany(b => (b.BlockedOn.Count == 0 || Quiet.Contains(b.Reason) ? [""] : b.BlockedOn)
                .Select(login => (Login: login, Item: new NoticeItem($"{b.PullRequest.Repository}#{b.PullRequest.Number}", b.PullRequest.Title,
                    b.PullRequest.Url, b.Reason, b.Since, b.Details))))
            .GroupBy(x => x.Login, StringComparer.OrdinalIgnoreCase)
            .Select(g => new NoticeSection(g.Key.Length == 0 ? null : new NoticeRecipient(g.Key, null), g.Select(x => x.Item).ToList()))
            .ToList();
        return new Notice(NoticeKind.Status, $"Open pull requests of {repository}", sections, [], now);
    }

    /// <summary>A person's working hours: from <c>reminders.users</c>, else the default in the schedule's time zone.</summary>
    public static WorkingHours HoursOf(RemindersConfig config, string login) =>
        config.Users.TryGetValue(login, out var user) ? user.Hours : WorkingHours.Default(config.Schedule?.TimeZone ?? TimeZoneInfo.Utc);

    private static NoticeRecipient Recipient(string login, IReadOnlyDictionary<string, string>? ids) =>
        new(login, ids is not null && ids.TryGetValue(login, out var id) ? id : null);

    private static void Add<T>(Dictionary<string, List<T>> people, string login, T value)
    {
        if (!people.TryGetValue(login, out var list)) people[login] = list = [];
        list.Add(value);
    }

    private static TValue GetOrAdd<TKey, TValue>(this Dictionary<TKey, TValue> map, TKey key, Func<TValue> create) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var value)) map[key] = value = create();
        return value;
    }
}
