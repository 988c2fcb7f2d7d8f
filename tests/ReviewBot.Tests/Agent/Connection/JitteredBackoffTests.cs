using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Agent.Connection;

namespace ReviewBot.Tests.Agent.Connection;

public class JitteredBackoffTests
{
    [Fact]
    public void DoublesFromHalfASecondUpToThirtySecondsWithoutJitter()
    {
        var backoff = new JitteredBackoff(() => 0.5);

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30], Enumerable.Range(0, 8).Select(n => backoff.Delay(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Delay(long.MaxValue));
    }

    [Fact]
    public void JitterSpreadsEachDelayByHalfAndNeverExceedsTheCap()
    {
        var low = new JitteredBackoff(() => 0.0);
        var high = new JitteredBackoff(() => 0.999999);

        Assert.Equal(0.5, low.Delay(1).TotalSeconds, 3);
        Assert.Equal(1.5, high.Delay(1).TotalSeconds, 3);
        Assert.Equal(15, low.Delay(20).TotalSeconds, 3);
        Assert.Equal(30, high.Delay(20).TotalSeconds, 3);
    }

    [Fact]
    public void NeverGivesUp()
    {
        var backoff = new JitteredBackoff();

        var delay = backoff.NextRetryDelay(new RetryContext { PreviousRetryCount = 10_000, ElapsedTime = TimeSpan.FromDays(3) });

        Assert.NotNull(delay);
        Assert.InRange(delay.Value, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
    }
}
