using ReviewBot.Core.Jobs;

namespace ReviewBot.Tests.Core.Jobs;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("00:05:00", 300)]
    [InlineData("1.00:00:00", 86400)]
    public void TimeSpansAndUnits_Parse(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("5")]        // a bare number would be 5 days as a TimeSpan: refused
    [InlineData("")]
    [InlineData("5 m")]
    [InlineData("2d")]       // days only where they are allowed
    [InlineData("99999999999999999999h")]
    public void AnythingElse_DoesNotParse(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData("2d", 48 * 3600)]
    [InlineData("1d12h", 36 * 3600)]
    [InlineData("30m", 1800)]
    public void WithDays_TakesALeadingDayCount(string text, int seconds)
    {
        Assert.True(Durations.TryParseWithDays(text, out var span));
        Assert.Equal(TimeSpan.FromSeconds(seconds), span);
    }

    [Theory]
    [InlineData("d")]
    [InlineData("99999999999d")]   // more days than an int: refused, not an OverflowException
    [InlineData("99999999d")]      // more days than a TimeSpan holds
    public void WithDays_RefusesWhatDoesNotFit(string text) => Assert.False(Durations.TryParseWithDays(text, out _));
}
