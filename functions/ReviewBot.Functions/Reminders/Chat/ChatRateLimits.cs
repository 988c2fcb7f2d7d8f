using System.Collections.Concurrent;

namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>"At most <paramref name="Permits"/> messages in any <paramref name="Window"/>", per group robot.</summary>
public sealed record RateLimitRule(int Permits, TimeSpan Window);

/// <summary>
/// One limiter per group robot (platform + webhook URL) enforcing every rule of its platform as a sliding log of send
/// times: a send waits until each rule has room. Waits run on the injected <see cref="TimeProvider"/>, so a fake clock
/// drives them in tests. (System.Threading.RateLimiting's limiters read the real clock, and with manual replenishment
/// their queued waiters were not released in our checks, hence this small one.) Thread-safe; waiters are served in
/// arrival order per robot.
/// </summary>
public sealed class ChatRateLimits(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string, string), Robot> _robots = new();

    /// <summary>Waits until a message may be sent to <paramref name="target"/>, and counts it as sent.</summary>
    public async Task AcquireAsync(ChatTarget target, IReadOnlyList<RateLimitRule> rules, CancellationToken ct)
    {
        var robot = _robots.GetOrAdd((target.Platform, target.WebhookUrl), _ => new Robot(rules));
        await robot.Turn.WaitAsync(ct);
        try
        {
            while (robot.WaitFor(time.GetUtcNow()) is { } wait)
            {
                await Task.Delay(wait, time, ct);
            }

            robot.Record(time.GetUtcNow());
        }
        finally
        {
            robot.Turn.Release();
        }
    }

    private sealed class Robot(IReadOnlyList<RateLimitRule> rules)
    {
        private readonly Queue<DateTimeOffset> _sent = new();
        private readonly TimeSpan _longest = rules.Max(r => r.Window);

        /// <summary>One waiter at a time, in arrival order.</summary>
        public SemaphoreSlim Turn { get; } = new(1, 1);

        /// <summary>How long until every rule has room at <paramref name="now"/>; null when there is room now.</summary>
        public TimeSpan? WaitFor(DateTimeOffset now)
        {
            while (_sent.Count > 0 && now - _sent.Peek() >= _longest) _sent.Dequeue();
            TimeSpan? wait = null;
            foreach (var rule in rules)
            {
                var inWindow = _sent.Where(t => now - t < rule.Window).ToList();
                if (inWindow.Count < rule.Permits) continue;
                // Room comes when the oldest send that keeps this rule full leaves its window.
                var free = inWindow[inWindow.Count - rule.Permits] + rule.Window - now;
                if (wait is null || free > wait) wait = free;
            }

            return wait;
        }

        public void Record(DateTimeOffset now) => _sent.Enqueue(now);
    }
}
