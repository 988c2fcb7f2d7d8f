using Microsoft.Extensions.Time.Testing;

namespace ReviewBot.Testing;

/// <summary>
/// A fake clock that tells when the code under test starts waiting on it (creates a timer), so that a test advances
/// it only once there is a wait to end, by exactly that wait, instead of moving it in blind steps. Register before
/// starting the code that waits: a timer created earlier is not reported.
/// </summary>
public sealed class SignallingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<(Func<TimeSpan, bool> Matches, TaskCompletionSource<TimeSpan> Created)> _waiters = [];

    /// <summary>Completes when a timer due in exactly <paramref name="due"/> is created.</summary>
    public Task TimerCreated(TimeSpan due) => TimerCreated(d => d == due);

    /// <summary>Completes with the due time of the first timer created whose due time <paramref name="matches"/>.</summary>
    public Task<TimeSpan> TimerCreated(Func<TimeSpan, bool> matches)
    {
        var tcs = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _waiters.Add((matches, tcs));
        return tcs.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            foreach (var w in _waiters.Where(w => w.Matches(dueTime)).ToList())
            {
                _waiters.Remove(w);
                w.Created.TrySetResult(dueTime);
            }
        }
        return timer;
    }
}
