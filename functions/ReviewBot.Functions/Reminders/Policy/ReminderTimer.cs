using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Reminders.Configuration;

namespace ReviewBot.Functions.Reminders.Policy;

/// <summary>
/// Runs <see cref="ReminderRun"/> at each occurrence of <c>reminders.schedule.cron</c> in its time zone, on the injected
/// <see cref="TimeProvider"/>. Its own small timer until the job scheduler takes reminders over (it then calls
/// <see cref="ReminderRun.RunOnceAsync"/> itself and this service is removed). No schedule: does nothing.
/// </summary>
public sealed class ReminderTimer(ReviewConfig config, IServiceProvider services, TimeProvider time, ILogger<ReminderTimer> log) : BackgroundService
{
    /// <summary>One minute's worth of the schedule, for a timer that fires every minute (the Functions host): runs
    /// once when an occurrence of the configured schedule fell in the last minute.</summary>
    public async Task RunIfDueAsync(CancellationToken ct)
    {
        if (config.Reminders.Schedule is not { } schedule) return;
        var now = time.GetUtcNow();
        if (schedule.Expression.GetNextOccurrence(now - TimeSpan.FromMinutes(1), schedule.TimeZone, inclusive: false) is { } due && due <= now)
            await services.GetRequiredService<ReminderRun>().RunOnceAsync(now, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (config.Reminders.Schedule is not { } schedule) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (schedule.Expression.GetNextOccurrence(now, schedule.TimeZone) is not { } next) return;
            RemindersLog.NextRun(log, next);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await services.GetRequiredService<ReminderRun>().RunOnceAsync(time.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutdown: control flow, not a failure.
                return;
            }
            catch (Exception e)
            {
                // One failed run (storage down, analysis error) must not stop the schedule.
                RemindersLog.ScheduledRunFailed(log, e);
            }
        }
    }
}
