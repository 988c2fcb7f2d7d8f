using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Core.Jobs;

namespace ReviewBot.Functions.Reminders.Chat.Commands;

/// <summary>A command typed in chat.</summary>
public abstract partial record ChatCommand
{
    /// <summary><c>bind github &lt;login&gt;</c> (or gitlab): the sender is that git user.</summary>
    public sealed record Bind(string Host, string Login) : ChatCommand;

    /// <summary><c>snooze &lt;repo&gt;#&lt;n&gt; &lt;duration&gt;</c>: no reminders to the sender about it for that long.</summary>
    public sealed record Snooze(string Repository, int Number, TimeSpan Duration) : ChatCommand;

    /// <summary><c>ack [&lt;repo&gt;#&lt;n&gt;]</c>: seen; no reminders until it changes. Without a pull request: everything reminded so far.</summary>
    public sealed record Ack(string? Repository, int? Number) : ChatCommand;

    /// <summary><c>status &lt;repo&gt;</c>: who every open pull request waits on, posted to the repository's group.</summary>
    public sealed record Status(string Repository) : ChatCommand;

    /// <summary>Not understood: <paramref name="Problem"/> says why, and the reply lists the commands.</summary>
    public sealed record Invalid(string Problem) : ChatCommand;

    public const string Usage = """
        Commands:
        • bind github <login>: I am this GitHub user (gitlab works too); that user confirms it with the code I answer
        • snooze <owner/repo>#<n> <duration>: no reminders about it for that long (e.g. 4h, 2d, at most 30d)
        • ack [<owner/repo>#<n>]: seen; no reminders until the pull request changes (without one: everything I reminded you of)
        • status <owner/repo>: who each open pull request waits on
        """;

    public static readonly TimeSpan MaxSnooze = TimeSpan.FromDays(30);

    /// <summary>Reads a message's text; mentions of the bot ("&lt;@U…&gt;", "@_user_1", "@ReviewBot") and a slash command name are skipped.</summary>
    public static ChatCommand Parse(string? text)
    {
        var words = (text ?? "").Split([' ', '\t', '\n', '\r', '\u00a0'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !w.StartsWith('@') && !w.StartsWith("<@", StringComparison.Ordinal) && !w.StartsWith('/'))
            .ToArray();
        if (words.Length == 0) return new Invalid("the message has no command");
        var verb = words[0].ToLowerInvariant();
        var args = words[1..];
        return verb switch
        {
            "bind" => args is [var host, var login] && host.ToLowerInvariant() is "github" or "gitlab" && LoginName().IsMatch(login)
                ? new Bind(host.ToLowerInvariant(), login)
                : new Invalid("write: bind github <login>"),
            "snooze" => args is [var pr, var duration] && TryParsePullRequest(pr, out var repo, out var n)
                ? Durations.TryParseWithDays(duration, out var span) && span > TimeSpan.Zero && span <= MaxSnooze
                    ? new Snooze(repo, n, span)
                    : new Invalid($"'{duration}' is not a duration from 1m to 30d (e.g. 4h, 2d, 1d12h)")
                : new Invalid("write: snooze <owner/repo>#<n> <duration>"),
            "ack" => args switch
            {
                [] => new Ack(null, null),
                [var pr] when TryParsePullRequest(pr, out var repo, out var n) => new Ack(repo, n),
                _ => new Invalid("write: ack, or ack <owner/repo>#<n>"),
            },
            "status" => args is [var repo] && RepositoryName().IsMatch(repo)
                ? new Status(repo)
                : new Invalid("write: status <owner/repo>"),
            "help" => new Invalid("here is what I understand"),
            _ => new Invalid($"I do not know '{words[0]}'"),
        };
    }

    /// <summary>Whether <paramref name="login"/> has the shape of a GitHub or GitLab login.</summary>
    public static bool IsLogin(string login) => LoginName().IsMatch(login);

    private static bool TryParsePullRequest(string text, out string repository, out int number)
    {
        var match = PullRequest().Match(text);
        repository = match.Success ? match.Groups[1].Value : "";
        number = 0;
        return match.Success && int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9._-]+)+)[#!](\d{1,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex PullRequest();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9._-]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex LoginName();
}
