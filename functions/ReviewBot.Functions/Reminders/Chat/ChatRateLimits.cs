using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>"At most <paramref name="Permits"/> messages in any <paramref name="Window"/>", per group robot.</summary>
public sealed record RateLimitRule(int Permits, TimeSpan Window);

/// <summary>
/// One limiter per group robot (platform + webhook URL), built from the platform's rules: each rule is a sliding window
/// (6 segments) and a robot with several rules waits for all of them. Senders wait in a queue rather than fail. The windows
/// move with <see cref="TimeProvider"/> timers (auto-replenishment is off), so a fake clock drives them in tests.
/// Thread-safe.
/// </summary>
public sealed class ChatRateLimits(TimeProvider time) : IDisposable
{
    private const int Segments = 6;
    private const int QueueLimit = 1000;
    private readonly ConcurrentDictionary<(string, string), Lazy<Entry>> _limiters = new();

    private sealed record Entry(RateLimiter Limiter, IReadOnlyList<ITimer> Timers);

    /// <summary>Waits for a permit to send to <paramref name="target"/>; the lease is held for the send.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(ChatTarget target, IReadOnlyList<RateLimitRule> rules, CancellationToken ct)
    {
        var entry = _limiters.GetOrAdd((target.Platform, target.WebhookUrl), _ => new Lazy<Entry>(() => Create(rules))).Value;
        var lease = await entry.Limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new ChatPlatformException(target.Platform, 429, $"more than {QueueLimit} messages are queued for this group; not sent");
        }

        return lease;
    }

    private Entry Create(IReadOnlyList<RateLimitRule> rules)
    {
        var limiters = new List<RateLimiter>();
        var timers = new List<ITimer>();
        foreach (var rule in rules)
        {
            var limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = rule.Permits,
                Window = rule.Window,
                SegmentsPerWindow = Segments,
                QueueLimit = QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = false,
            });
            var segment = rule.Window / Segments;
            timers.Add(time.CreateTimer(_ => limiter.TryReplenish(), null, segment, segment));
            limiters.Add(limiter);
        }

        return new Entry(limiters.Count == 1 ? limiters[0] : RateLimiter.CreateChained([.. limiters]), timers);
    }

    public void Dispose()
    {
        foreach (var entry in _limiters.Values.Where(l => l.IsValueCreated).Select(l => l.Value))
        {
            foreach (var timer in entry.Timers) timer.Dispose();
            entry.Limiter.Dispose();
        }
    }
}
