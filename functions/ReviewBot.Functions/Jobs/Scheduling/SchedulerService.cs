using Microsoft.Extensions.Options;

namespace ReviewBot.Functions.Jobs.Scheduling;

/// <summary>
/// The in-process shape: keeps the lease renewed on its own loop (so a long tick cannot starve it) and ticks at the
/// next due cron tick or after <see cref="SchedulerOptions.TickInterval"/>, whichever is sooner. Disabled by
/// <c>ReviewBot:Scheduler:Enabled=false</c> when the Azure timer function drives <see cref="Scheduler.TickAsync"/>.
/// Releases the lease on stop so another instance can lead at once.
/// </summary>
public sealed class SchedulerService(Scheduler scheduler, IOptions<SchedulerOptions> options, TimeProvider time, ILogger<SchedulerService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled) return;
        var lease = scheduler.Lease.RunAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                DateTimeOffset? nextDue = null;
                try { nextDue = (await scheduler.TickAsync(time.GetUtcNow(), stoppingToken)).NextDue; }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
                catch (Exception e) { SchedulingLog.TickFailed(log, e); }

                var wait = o.TickInterval;
                if (nextDue is { } due && due - time.GetUtcNow() < wait) wait = due - time.GetUtcNow();
                if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
                try { await Task.Delay(wait, time, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        finally
        {
            await lease;
            await scheduler.Lease.DisposeAsync();
        }
    }
}
