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

    /// <summary>A command from <paramref name="UserId"/>; <paramref name="Reply"/> wraps the reply text as the platform wants it
    /// answered. It is carried out only if <paramref name="Replay"/> has not been seen (<see cref="ChatReplayStore"/>).</summary>
    public sealed record Command(string UserId, string? Text, Func<string, IResult> Reply, ReplayKey Replay) : Inbound;

    /// <summary>Signed correctly but not readable: 400.</summary>
    public sealed record Malformed(string Reason) : Inbound;
}

/// <summary>
/// What makes a verified request unique, so that it is carried out once: <paramref name="Value"/> is what the platform's
/// signature covers (the signature itself; for Feishu without an Encrypt Key, the event id), <paramref name="Family"/> the
/// secrets it was verified with ("slack", "feishu" for Feishu and Lark, "dingtalk", "wecom"), and <paramref name="Until"/>
/// when the platform's window closes for it (after that its timestamp is refused anyway).
/// </summary>
public sealed record ReplayKey(string Family, string Value, DateTimeOffset Until);
