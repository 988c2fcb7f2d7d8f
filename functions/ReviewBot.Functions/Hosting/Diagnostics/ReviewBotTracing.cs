using System.Diagnostics;

namespace ReviewBot.Functions.Hosting.Diagnostics;

/// <summary>
/// The server's spans (one <see cref="ActivitySource"/>, <see cref="SourceName"/>). One trace per delivery: the webhook's
/// span <c>reviewbot.delivery</c> is the parent of each task's <c>reviewbot.task</c> span, whose W3C traceparent the task
/// stores (<c>ReviewTask.TraceParent</c>); later spans about the task (placement, the agent's run, the report) are its
/// children, emitted when the facts are known, with their true start and end times.
/// </summary>
public static class ReviewBotTracing
{
    public const string SourceName = "ReviewBot.Server";

    /// <summary>Process-wide, as every <see cref="ActivitySource"/> is: a test with several apps in one process tells
    /// their spans apart by trace id.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The context of a stored W3C traceparent; null when it is missing or malformed.</summary>
    public static ActivityContext? Parent(string? traceParent) =>
        traceParent is { Length: > 0 } && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : null;

    /// <summary>A span that happened between <paramref name="start"/> and <paramref name="end"/>, written now (null when
    /// nobody listens or the parent is unknown). The caller adds its tags and disposes it.</summary>
    public static Activity? Past(string name, string? traceParent, DateTimeOffset start, DateTimeOffset end, ActivityKind kind = ActivityKind.Internal)
    {
        if (Parent(traceParent) is not { } parent) return null;
        var activity = Source.StartActivity(name, kind, parent, startTime: start);
        activity?.SetEndTime(end.UtcDateTime);
        return activity;
    }
}
