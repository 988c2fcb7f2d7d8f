using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Functions.Reminders.Policy;

/// <summary>What one run did.</summary>
public sealed record ReminderRunResult(ReminderPlan Plan, int Sent, IReadOnlyList<string> Failures);

/// <summary>
/// One reminder run: read the blockings, plan (<see cref="ReminderPlanner"/>), send each message, and record each reminder and
/// escalation only once its message was accepted, so a refused message is retried by the next run rather than counted.
/// The scheduled timer (<see cref="ReminderTimer"/>) and, later, the job scheduler call <see cref="RunOnceAsync"/>.
/// </summary>
public sealed class ReminderRun(
    ReviewConfig config,
    IBlockingSource source,
    ChatUsers users,
    ResponseStore responses,
    ChatPlatforms platforms,
    ILogger<ReminderRun> log)
{
    public async Task<ReminderRunResult> RunOnceAsync(DateTimeOffset now, CancellationToken ct)
    {
        var reminders = config.Reminders;
        if (reminders.Repos.Count == 0) return new ReminderRunResult(new ReminderPlan([], []), 0, []);

        var blockings = await source.AnalyzeAsync(reminders.Repos.Select(r => (r.Host, r.Repository)), ct);
        var chatIds = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var platform in reminders.Repos.Select(r => r.Platform).Distinct())
        {
            chatIds[platform] = await users.ChatIdsAsync(platform, ct);
        }

        var plan = ReminderPlanner.Plan(blockings, reminders, chatIds, await responses.ListForAsync(blockings.Select(b => PullRequestKey.Of(b.PullRequest)), ct), now);
        var sent = 0;
        var failures = new List<string>();
        foreach (var message in plan.Messages)
        {
            try
            {
                await platforms.Get(message.Target.Platform).SendAsync(message.Target, message.Notice, ct);
            }
            catch (Exception e) when (e is ChatPlatformException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                RemindersLog.SendFailed(log, message.Notice.Kind.ToString(), message.Target.Platform, e.Message);
                failures.Add($"{message.Target.Platform} {message.Notice.Kind}: {e.Message}");
                continue;
            }

            sent++;
            foreach (var r in message.Reminders)
            {
                await responses.UpdateAsync(r.PullRequest, r.Login, current => Counted(current, r, now), ct);
            }

            foreach (var r in message.Escalations)
            {
                await responses.UpdateAsync(r.PullRequest, r.Login, current => current with { EscalatedAt = now }, ct);
            }
        }

        RemindersLog.RunCompleted(log, plan.Messages.Count, sent, failures.Count, plan.Skipped.Count);
        return new ReminderRunResult(plan, sent, failures);
    }

    /// <summary>A response after one more reminder: counted on, or from 1 when the pull request changed since the last count.</summary>
    public static ResponseRecord Counted(ResponseRecord current, Reminded reminder, DateTimeOffset now) =>
        current.SeenActivityAt == reminder.ActivityAt
            ? current with { RemindersSent = current.RemindersSent + 1, LastRemindedAt = now }
            : current with { RemindersSent = 1, LastRemindedAt = now, SeenActivityAt = reminder.ActivityAt, EscalatedAt = null };
}
