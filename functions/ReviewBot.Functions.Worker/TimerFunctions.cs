using Microsoft.Azure.Functions.Worker;

namespace ReviewBot.Functions.Worker;

/// <summary>
/// One function per timer the app registers with <c>AddTimerFunction</c> (name and NCRONTAB schedule exactly as
/// registered; <see cref="TimerBindings.Verify"/> refuses to start otherwise). A new timer needs one method here:
/// <c>[Function("name")] public Task Name([TimerTrigger("schedule")] TimerInfo timer, FunctionContext context) =>
/// timers.RunAsync("name", timer, context);</c>. Schedules are attribute constants because the SDK writes them into
/// functions.metadata at build time, where the host reads them.
/// </summary>
public sealed class TimerFunctions(TimerDispatch timers)
{
    [Function("presence-sweep")]
    public Task PresenceSweep([TimerTrigger("*/10 * * * * *")] TimerInfo timer, FunctionContext context) => timers.RunAsync("presence-sweep", timer, context);

    [Function("scheduler-tick")]
    public Task SchedulerTick([TimerTrigger("*/5 * * * * *")] TimerInfo timer, FunctionContext context) => timers.RunAsync("scheduler-tick", timer, context);

    [Function("log-compaction")]
    public Task LogCompaction([TimerTrigger("0 */5 * * * *")] TimerInfo timer, FunctionContext context) => timers.RunAsync("log-compaction", timer, context);

    [Function("reminders")]
    public Task Reminders([TimerTrigger("0 * * * * *")] TimerInfo timer, FunctionContext context) => timers.RunAsync("reminders", timer, context);

    [Function("chat-purge")]
    public Task ChatPurge([TimerTrigger("0 17 * * * *")] TimerInfo timer, FunctionContext context) => timers.RunAsync("chat-purge", timer, context);

    [Function("retention")]
    public Task Retention([TimerTrigger("0 41 * * * *")] TimerInfo timer, FunctionContext context) => timers.RunAsync("retention", timer, context);
}
