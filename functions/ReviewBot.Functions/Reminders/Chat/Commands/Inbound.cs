namespace ReviewBot.Functions.Reminders.Chat.Commands;

/// <summary>What a platform's request to <c>/api/chat/{platform}/events</c> turned out to be, once verified and read.</summary>
public abstract record Inbound
{
    /// <summary>Not authentic (signature, token or timestamp): 401, nothing stored.</summary>
    public sealed record Rejected(string Reason) : Inbound;

    /// <summary>A protocol answer that needs no command (Slack's and Feishu's URL verification challenge).</summary>
    public sealed record Answer(IResult Result) : Inbound;

    /// <summary>Authentic but nothing to do (a bot's own message, an event type we do not handle).</summary>
    public sealed record Ignored(string Why) : Inbound;

    /// <summary>A command from <paramref name="UserId"/>; <paramref name="Reply"/> wraps the reply text as the platform wants it answered.</summary>
    public sealed record Command(string UserId, string? Text, Func<string, IResult> Reply) : Inbound;

    /// <summary>Signed correctly but not readable: 400.</summary>
    public sealed record Malformed(string Reason) : Inbound;
}
