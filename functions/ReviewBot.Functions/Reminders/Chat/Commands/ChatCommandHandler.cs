using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Reminders.Configuration;
using ReviewBot.Functions.Reminders.Policy;

namespace ReviewBot.Functions.Reminders.Chat.Commands;

/// <summary>
/// Carries out a chat command from a verified sender and returns the reply text. Bindings and responses are stored here;
/// <c>status</c> posts the repository's state to its group webhook (every platform has that; not all can reply inline).
/// <c>bind</c> binds nobody by itself: it answers a one-time code that the git user must confirm (<see cref="BindingProofs"/>),
/// because a chat user's word is no proof of who they are on the code host.
/// </summary>
public sealed class ChatCommandHandler(
    ReviewConfig config,
    ChatUsers users,
    BindingCodes codes,
    ResponseStore responses,
    IBlockingSource source,
    ChatPlatforms platforms,
    TimeProvider time)
{
    public async Task<string> HandleAsync(string platform, string chatUserId, string? text, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        switch (ChatCommand.Parse(text))
        {
            case ChatCommand.Bind bind:
                {
                    if (await users.LoginOfAsync(platform, chatUserId, ct) is { } current && string.Equals(current, bind.Login, StringComparison.OrdinalIgnoreCase))
                        return $"You are already bound to {bind.Host} user {current}.";
                    var code = await codes.CreateAsync(platform, chatUserId, bind.Host, bind.Login, now, ct);
                    var where = bind.Host == "github"
                        ? $"{bind.Login} comments `/reviewbot bind {code}` on a pull request or issue of a repository that sends ReviewBot its webhooks, or an admin confirms the code"
                        : $"an admin confirms the code `/reviewbot bind {code}`";
                    return $"To bind you to {bind.Host} user {bind.Login}: {where} (POST /api/bindings/confirm). "
                        + $"The code works once, within {BindingCodes.Lifetime.TotalMinutes:0} minutes. Until then reminders do not treat you as {bind.Login}.";
                }

            case ChatCommand.Snooze snooze:
                {
                    if (await Resolve(platform, chatUserId, snooze.Repository, ct) is not ({ } repo, { } login)) return await Why(platform, chatUserId, snooze.Repository, ct);
                    var until = now + snooze.Duration;
                    await responses.UpdateAsync(new PullRequestKey(repo.Host, repo.Repository, snooze.Number), login,
                        r => r with { SnoozedUntil = until, RemindersSent = 0, EscalatedAt = null }, ct);
                    return $"Snoozed {repo.Repository}#{snooze.Number} for {login} until {until:yyyy-MM-dd HH:mm} UTC.";
                }

            case ChatCommand.Ack { Repository: { } repository, Number: { } number }:
                {
                    if (await Resolve(platform, chatUserId, repository, ct) is not ({ } repo, { } login)) return await Why(platform, chatUserId, repository, ct);
                    await responses.UpdateAsync(new PullRequestKey(repo.Host, repo.Repository, number), login,
                        r => r with { AckedAt = now, RemindersSent = 0, EscalatedAt = null }, ct);
                    return $"Acknowledged {repo.Repository}#{number}: no reminders to {login} until it changes.";
                }

            case ChatCommand.Ack:
                {
                    if (await users.LoginOfAsync(platform, chatUserId, ct) is not { } login) return NotBound;
                    var open = (await responses.ListForAsync(login, ct))
                        .Where(r => r.LastRemindedAt is not null && (r.AckedAt is null || r.AckedAt < r.LastRemindedAt)).ToList();
                    foreach (var r in open)
                    {
                        await responses.UpdateAsync(r.PullRequest, login, c => c with { AckedAt = now, RemindersSent = 0, EscalatedAt = null }, ct);
                    }

                    return open.Count == 0 ? "Nothing to acknowledge: no reminder is waiting on you."
                        : $"Acknowledged {string.Join(", ", open.Select(r => $"{r.PullRequest.Repository}#{r.PullRequest.Number}"))}: no reminders until they change.";
                }

            case ChatCommand.Status status:
                {
                    if (config.Reminders.FindRepo(status.Repository) is not { } repo) return NotConfigured(status.Repository);
                    var blockings = await source.AnalyzeAsync([(repo.Host, repo.Repository)], ct);
                    await platforms.Get(repo.Platform).SendAsync(repo.Target, ReminderPlanner.Status(repo.Repository, blockings, now), ct);
                    return $"Posted the status of {repo.Repository} ({blockings.Count} open pull request(s)) to its group.";
                }

            case ChatCommand.Invalid invalid:
                return $"Sorry, {invalid.Problem}.\n{ChatCommand.Usage}";

            default:
                return ChatCommand.Usage;
        }
    }

    private const string NotBound = "I do not know your git login yet: write `bind github <login>` first, and have the binding confirmed.";

    private static string NotConfigured(string repository) => $"{repository} is not in the reminders configuration.";

    private async Task<(ReminderRepo?, string?)> Resolve(string platform, string chatUserId, string repository, CancellationToken ct) =>
        (config.Reminders.FindRepo(repository), await users.LoginOfAsync(platform, chatUserId, ct));

    private async Task<string> Why(string platform, string chatUserId, string repository, CancellationToken ct) =>
        config.Reminders.FindRepo(repository) is null ? NotConfigured(repository)
        : await users.LoginOfAsync(platform, chatUserId, ct) is null ? NotBound
        : "Cannot do that.";
}
