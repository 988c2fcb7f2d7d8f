using ReviewBot.Core.Jobs;

namespace ReviewBot.Tests.Core.Jobs;

public sealed class CronScheduleTests
{
    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, null, System.Globalization.DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("W. Europe Standard Time")] // a Windows id names the same zone
    public void SpringForward_ATimeInTheSkippedHour_RunsAtTheFirstValidInstantAfterIt(string zone)
    {
        // 29 March 2026: Berlin goes from 02:00 CET straight to 03:00 CEST.
        var s = CronSchedule.Parse("30 2 * * *", zone);

        var onDstDay = s.Next(Utc("2026-03-28T12:00:00Z"))!.Value;
        Assert.Equal(Utc("2026-03-29T01:00:00Z"), onDstDay);   // 03:00 CEST
        Assert.Equal(TimeSpan.FromHours(2), onDstDay.Offset);
        Assert.Equal(Utc("2026-03-30T00:30:00Z"), s.Next(onDstDay)); // back to 02:30, now CEST
    }

    [Fact]
    public void FallBack_ANonIntervalExpression_FiresOnceInTheFirstCopyOfTheRepeatedHour()
    {
        // 25 October 2026: Berlin goes from 03:00 CEST back to 02:00 CET, so 02:30 happens twice.
        var s = CronSchedule.Parse("30 2 * * *", "Europe/Berlin");

        var ticks = s.Occurrences(Utc("2026-10-24T12:00:00Z"), Utc("2026-10-26T12:00:00Z")).ToList();

        Assert.Equal([Utc("2026-10-25T00:30:00Z"), Utc("2026-10-26T01:30:00Z")], ticks);
    }

    [Fact]
    public void FallBack_AnIntervalExpression_FiresInBothCopiesOfTheRepeatedHour()
    {
        var s = CronSchedule.Parse("*/30 2 * * *", "Europe/Berlin");

        var ticks = s.Occurrences(Utc("2026-10-24T23:00:00Z"), Utc("2026-10-25T03:00:00Z")).ToList();

        // 02:00 and 02:30 CEST, then 02:00 and 02:30 CET.
        Assert.Equal([Utc("2026-10-25T00:00:00Z"), Utc("2026-10-25T00:30:00Z"), Utc("2026-10-25T01:00:00Z"), Utc("2026-10-25T01:30:00Z")], ticks);
    }

    [Fact]
    public void SixFields_PutSecondsFirst()
    {
        var s = CronSchedule.Parse("*/15 * * * * *");

        var ticks = s.Occurrences(Utc("2026-03-02T09:00:00Z"), Utc("2026-03-02T09:01:00Z")).ToList();

        Assert.Equal([15, 30, 45, 0], ticks.Select(t => t.Second));
        Assert.Equal(Utc("2026-03-02T09:01:00Z"), ticks[^1]); // the range's end is included, its start is not
    }

    [Fact]
    public void FiveFields_AreMinuteResolution_AndTheZoneDefaultsToUtc()
    {
        var s = CronSchedule.Parse("0 9 * * 1-5");

        Assert.Equal(TimeZoneInfo.Utc, s.TimeZone);
        Assert.Equal(Utc("2026-03-03T09:00:00Z"), s.Next(Utc("2026-03-02T09:00:00Z"))); // strictly after
    }

    [Theory]
    [InlineData("@daily", "2026-03-03T00:00:00Z")]
    [InlineData("@hourly", "2026-03-02T10:00:00Z")]
    [InlineData("@every_second", "2026-03-02T09:00:01Z")]
    public void Macros_Work(string macro, string next)
    {
        Assert.Equal(Utc(next), CronSchedule.Parse(macro).Next(Utc("2026-03-02T09:00:00Z")));
    }

    [Fact]
    public void Daily_InAZone_RunsAtLocalMidnight()
    {
        Assert.Equal(Utc("2026-03-02T23:00:00Z"), CronSchedule.Parse("@daily", "Europe/Berlin").Next(Utc("2026-03-02T09:00:00Z")));
    }

    [Fact]
    public void Latest_IsTheLastOccurrenceInTheRange()
    {
        var s = CronSchedule.Parse("* * * * *");

        Assert.Equal(Utc("2026-03-02T09:10:00Z"), s.Latest(Utc("2026-03-02T09:00:00Z"), Utc("2026-03-02T09:10:30Z")));
        Assert.Null(s.Latest(Utc("2026-03-02T09:10:00Z"), Utc("2026-03-02T09:10:30Z")));
    }

    [Theory]
    [InlineData("* * * *", null, "has 4 field(s)")]
    [InlineData("* * * * * * *", null, "has 7 field(s)")]
    [InlineData("61 * * * *", null, "not a valid cron expression")]
    [InlineData("", null, "a cron expression is required")]
    [InlineData("* * * * *", "Mars/Olympus_Mons", "unknown time zone 'Mars/Olympus_Mons'")]
    public void BadInput_IsRefusedWithAReason(string expression, string? zone, string reason)
    {
        Assert.False(CronSchedule.TryParse(expression, zone, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Throws<FormatException>(() => CronSchedule.Parse(expression, zone));
    }

    [Fact]
    public void NextRuns_FollowTheTimeZoneAcrossDaylightSaving()
    {
        var schedule = CronSchedule.Of(new JobTrigger(JobTriggerKind.Cron, Cron: "0 30 2 * * *", TimeZone: "Europe/Berlin"));
        var runs = schedule.Next(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero), 2);

        // 2026-03-29 02:30 does not exist in Berlin (clocks jump 02:00 → 03:00): Cronos runs at 03:00 CEST.
        Assert.Equal([new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero)],
            runs.Select(r => r.ToUniversalTime()).ToList());
    }

    // The preview (JobView, GET /api/jobs/{name}/next) and the scheduler read a trigger with the same type: the first
    // next run shown is the tick that fires.
    [Theory]
    [InlineData("0 30 2 * * *", "Europe/Berlin")]
    [InlineData("@daily", null)]
    [InlineData("*/15 9-17 * * 1-5", "America/New_York")]
    public void ThePreviewAndTheSchedulerAgree(string cron, string? zone)
    {
        var from = Utc("2026-03-27T12:00:00Z");
        var preview = CronSchedule.Of(new JobTrigger(JobTriggerKind.Cron, Cron: cron, TimeZone: zone)).Next(from, 3);

        Assert.True(CronSchedule.TryParse(cron, zone, out var schedule, out _));
        Assert.Equal(preview, schedule.Occurrences(from, preview[^1]).ToList());
    }

    [Theory]
    [InlineData("0 2 * * *", true)]
    [InlineData("0\t2 * * *", true)] // tabs separate fields too
    [InlineData("0 0 2 * * *", true)]
    [InlineData("@weekly", true)]
    [InlineData("0 2 * *", false)]
    public void FieldsAreCountedAcrossAnyWhitespace(string cron, bool valid) =>
        Assert.Equal(valid, CronSchedule.TryParseExpression(cron, out _, out _));
}
