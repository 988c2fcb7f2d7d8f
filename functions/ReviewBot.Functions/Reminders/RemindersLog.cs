namespace ReviewBot.Functions.Reminders;

/// <summary>Log messages of reminders in chat (EventIds 7100–7199).</summary>
internal static partial class RemindersLog
{
    [LoggerMessage(7101, LogLevel.Information, "Reminder run: {Messages} message(s) planned, {Sent} sent, {Failed} failed, {Skipped} reminder(s) skipped.", EventName = "RunCompleted")]
    public static partial void RunCompleted(ILogger logger, int messages, int sent, int failed, int skipped);

    [LoggerMessage(7102, LogLevel.Warning, "Sending a {Kind} notice to a {Platform} group failed: {Error}", EventName = "SendFailed")]
    public static partial void SendFailed(ILogger logger, string kind, string platform, string error);

    [LoggerMessage(7103, LogLevel.Error, "The scheduled reminder run failed.", EventName = "ScheduledRunFailed")]
    public static partial void ScheduledRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(7104, LogLevel.Information, "Next reminder run at {Next}.", EventName = "NextRun")]
    public static partial void NextRun(ILogger logger, DateTimeOffset next);

    [LoggerMessage(7105, LogLevel.Warning, "Chat command from {Platform} refused: {Reason}", EventName = "ChatRequestRejected")]
    public static partial void ChatRequestRejected(ILogger logger, string platform, string reason);

    [LoggerMessage(7106, LogLevel.Information, "Chat command from {Platform}: {Command}", EventName = "ChatCommand")]
    public static partial void ChatCommand(ILogger logger, string platform, string command);

    [LoggerMessage(7107, LogLevel.Warning, "Chat command from {Platform} refused: the same signed request was already carried out (a replay)", EventName = "ChatRequestReplayed")]
    public static partial void ChatRequestReplayed(ILogger logger, string platform);

    [LoggerMessage(7108, LogLevel.Warning, "Chat commands: {Warning}", EventName = "ChatInboundMode")]
    public static partial void ChatInboundMode(ILogger logger, string warning);

    [LoggerMessage(7109, LogLevel.Information, "Chat user {ChatId} on {Platform} is now bound to {Host} user {Login} ({Source}).", EventName = "Bound")]
    public static partial void Bound(ILogger logger, string platform, string chatId, string host, string login, string source);
}
