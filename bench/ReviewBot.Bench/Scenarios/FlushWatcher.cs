using System.Diagnostics;
using ReviewBot.Bench.Harness;

namespace ReviewBot.Bench.Scenarios;

/// <summary>
/// Finds when the app wrote last pings (reviewbot_lastping_table_transactions_total went up) by scraping every
/// <c>period</c>; each flush is known to within one period. Lets the latency scenario compare deliveries placed during
/// a flush with the others.
/// </summary>
public sealed class FlushWatcher
{
    private readonly List<(long From, long To)> _flushes = [];

    public IReadOnlyList<(long From, long To)> Flushes => _flushes;

    /// <summary>No watching (the app's /metrics is not read): no flush seen.</summary>
    public static FlushWatcher None => new();

    public static async Task<FlushWatcher> RunAsync(AppProcess app, TimeSpan period, CancellationToken stop)
    {
        var watcher = new FlushWatcher();
        var previous = (await app.ScrapeAsync(CancellationToken.None))["reviewbot_lastping_table_transactions_total"];
        var previousAt = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = (await app.ScrapeAsync(CancellationToken.None))["reviewbot_lastping_table_transactions_total"];
                var at = Stopwatch.GetTimestamp();
                if (now > previous)
                {
                    // Consecutive periods with writes are one flush (its transactions go one after another).
                    if (watcher._flushes.Count > 0 && watcher._flushes[^1].To == previousAt) watcher._flushes[^1] = (watcher._flushes[^1].From, at);
                    else watcher._flushes.Add((previousAt, at));
                }
                (previous, previousAt) = (now, at);
            }
        }
        catch (OperationCanceledException) { }
        return watcher;
    }

    /// <summary>True when [from, to] overlaps a flush.</summary>
    public bool Overlaps(long from, long to) => _flushes.Any(f => from <= f.To && to >= f.From);
}
