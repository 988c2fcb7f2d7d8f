using ReviewBot.Functions.Dashboard;
namespace ReviewBot.Functions.Hosting.Functions;

/// <summary>
/// Runs the timer functions that have a <see cref="TimerFunction.LocalInterval"/> in process, each on its own
/// loop, unless the Functions host drives the timers. A failed run is logged and the loop goes on.
/// </summary>
public sealed partial class TimerFunctionLoops(IEnumerable<TimerFunction> timers, TimerHosting hosting, IServiceProvider services,
    TimeProvider time, ILogger<TimerFunctionLoops> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => hosting.DrivenByHost
        ? Task.CompletedTask
        : Task.WhenAll(timers.Where(t => t.LocalInterval is not null).Select(t => LoopAsync(t, stoppingToken)));

    private async Task LoopAsync(TimerFunction timer, CancellationToken stoppingToken)
    {
        using var ticker = new PeriodicTimer(timer.LocalInterval!.Value, time);
        try
        {
            while (await ticker.WaitForNextTickAsync(stoppingToken))
            {
                try { await timer.Run(services, TimerInvocation.Local(), stoppingToken); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested) { LogFailed(log, timer.Name, e); }
            }
        }
        catch (OperationCanceledException) { } // stopping
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "Timer {Name} failed; it runs again at its next interval")]
    private static partial void LogFailed(ILogger logger, string name, Exception e);
}
