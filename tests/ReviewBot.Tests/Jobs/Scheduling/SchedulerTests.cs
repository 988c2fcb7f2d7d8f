using Microsoft.Extensions.Time.Testing;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Jobs.Scheduling;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;
using static ReviewBot.Tests.Jobs.Scheduling.SchedulerRig;

namespace ReviewBot.Tests.Jobs.Scheduling;

[Collection(AzuriteCollection.Name)]
public sealed class SchedulerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly InMemoryJobCatalog _catalog = new();
    private readonly FakeTimeProvider _time = new(Start);
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await StartAppAsync(azurite, _catalog);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<TickReport> Step(Scheduler s, TimeSpan by)
    {
        _time.Advance(by);
        return await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);
    }

    private async Task<List<string>> FiredTaskIds(string job) => [.. (await TasksOf(_app, job)).Select(t => t.Id).Order()];

    private static List<string> Ids(string job, params DateTimeOffset[] ticks) => [.. ticks.Select(t => TaskIdOf(job, t)).Order()];

    [Fact]
    public async Task EachTick_FiresOnce_FromTheFirstSightOn_AndTickingTheSameInstantAgainAddsNothing()
    {
        _catalog.Set(CronJob("every10s", "*/10 * * * * *"));
        var s = Create(_app, _catalog, _time);

        var first = await s.TickAsync(_time.GetUtcNow(), CancellationToken.None); // 09:00:00, first sight: no back-fill
        Assert.True(first.Leader);
        Assert.Empty(first.Fired);
        Assert.Equal(Start.AddSeconds(10), first.NextDue);
        for (var i = 0; i < 60; i++) await Step(s, TimeSpan.FromSeconds(1));
        var again = await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);

        Assert.Empty(again.Fired);
        Assert.Equal(Ids("every10s", [.. Enumerable.Range(1, 6).Select(i => Start.AddSeconds(10 * i))]), await FiredTaskIds("every10s"));
        var task = (await TasksOf(_app, "every10s")).Single(t => t.Id == TaskIdOf("every10s", Start.AddSeconds(10)));
        Assert.Equal("cron 2026-03-02 09:00:10Z", task.Trigger);
        Assert.Equal("2026-03-02T09:00:10.0000000Z", task.JobFiringKey);
    }

    [Theory]
    [InlineData(MisfirePolicy.FireOnce)]
    [InlineData(MisfirePolicy.Skip)]
    public async Task AfterDowntime_MissedTicksFollowTheMisfirePolicy_AndTheOnTimeTickFires(MisfirePolicy policy)
    {
        _catalog.Set(CronJob("minutely", "* * * * *", misfire: policy));
        var s = Create(_app, _catalog, _time);
        await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);
        await Step(s, TimeSpan.FromMinutes(1)); // 09:01 fires on time

        // Down for ten minutes: 09:02 … 09:09 are older than the 60 s grace, 09:10 is on time.
        var report = await Step(s, TimeSpan.FromMinutes(10));

        var expected = policy == MisfirePolicy.FireOnce
            ? Ids("minutely", Start.AddMinutes(1), Start.AddMinutes(10), Start.AddMinutes(11))
            : Ids("minutely", Start.AddMinutes(1), Start.AddMinutes(11));
        Assert.Equal(expected, await FiredTaskIds("minutely"));
        Assert.Equal(policy == MisfirePolicy.FireOnce ? 2 : 1, report.Fired.Count);
    }

    [Fact]
    public async Task TicksWithinTheGrace_AreAllFiredLate()
    {
        _catalog.Set(CronJob("every10s", "*/10 * * * * *", misfire: MisfirePolicy.Skip));
        var s = Create(_app, _catalog, _time);
        await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);

        await Step(s, TimeSpan.FromSeconds(45)); // a 45 s pause: nothing older than the grace

        Assert.Equal(Ids("every10s", Start.AddSeconds(10), Start.AddSeconds(20), Start.AddSeconds(30), Start.AddSeconds(40)), await FiredTaskIds("every10s"));
    }

    [Fact]
    public async Task AChangedSchedule_AppliesAtTheNextTick_WithoutARestart()
    {
        _catalog.Set(CronJob("job", "0 * * * * *")); // every minute
        var s = Create(_app, _catalog, _time);
        await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);
        for (var i = 0; i < 60; i++) await Step(s, TimeSpan.FromSeconds(1)); // 09:01:00 fires
        await Step(s, TimeSpan.FromSeconds(1));                                // 09:01:01

        _catalog.Set(CronJob("job", "*/5 * * * * *")); // through the API: every five seconds
        var changed = await Step(s, TimeSpan.FromSeconds(1)); // 09:01:02: the new schedule starts here, nothing back-filled
        for (var i = 0; i < 13; i++) await Step(s, TimeSpan.FromSeconds(1)); // to 09:01:15

        Assert.Empty(changed.Fired);
        Assert.Equal(Ids("job", Start.AddMinutes(1), Start.AddSeconds(65), Start.AddSeconds(70), Start.AddSeconds(75)), await FiredTaskIds("job"));
    }

    [Fact]
    public async Task ADisabledJob_DoesNotFire_AndReEnablingItBackFillsNothing()
    {
        var job = CronJob("job", "*/10 * * * * *");
        _catalog.Set(job);
        var s = Create(_app, _catalog, _time);
        await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);
        await Step(s, TimeSpan.FromSeconds(10)); // 09:00:10 fires

        _catalog.Set(job with { Enabled = false });
        await Step(s, TimeSpan.FromSeconds(5));
        await Step(s, TimeSpan.FromMinutes(5)); // 09:05:15
        _catalog.Set(job);
        await Step(s, TimeSpan.FromSeconds(1));  // 09:05:16: re-enabled, from now on
        await Step(s, TimeSpan.FromSeconds(4));  // 09:05:20 fires

        Assert.Equal(Ids("job", Start.AddSeconds(10), Start.AddSeconds(320)), await FiredTaskIds("job"));
    }

    [Fact]
    public async Task Forbid_SkipsATickWhileThePreviousRunIsActive_AndFiresOnceItEnded()
    {
        _catalog.Set(CronJob("job", "*/10 * * * * *", concurrency: ConcurrencyPolicy.Forbid));
        var s = Create(_app, _catalog, _time);
        await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);

        var first = await Step(s, TimeSpan.FromSeconds(10));  // creates; no agent, so it stays queued (active)
        var second = await Step(s, TimeSpan.FromSeconds(10)); // skipped
        await _app.Services.GetRequiredService<TaskCoordinator>().CancelAsync(TaskIdOf("job", Start.AddSeconds(10)), "test", CancellationToken.None);
        var third = await Step(s, TimeSpan.FromSeconds(10));  // fires again

        Assert.Equal(LaunchOutcome.Created, first.Fired.Single().Launch.Outcome);
        Assert.Equal(LaunchOutcome.SkippedWhileActive, second.Fired.Single().Launch.Outcome);
        Assert.Equal(LaunchOutcome.Created, third.Fired.Single().Launch.Outcome);
        Assert.Equal(Ids("job", Start.AddSeconds(10), Start.AddSeconds(30)), await FiredTaskIds("job"));
    }

    [Fact]
    public async Task Replace_CancelsTheActiveRun_AndStartsTheNewOne()
    {
        _catalog.Set(CronJob("job", "*/10 * * * * *", concurrency: ConcurrencyPolicy.Replace));
        var s = Create(_app, _catalog, _time);
        await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);

        await Step(s, TimeSpan.FromSeconds(10));
        var second = await Step(s, TimeSpan.FromSeconds(10));

        Assert.Equal(1, second.Fired.Single().Launch.Replaced);
        var tasks = (await TasksOf(_app, "job")).ToDictionary(t => t.Id);
        Assert.Equal(TaskState.Cancelled, tasks[TaskIdOf("job", Start.AddSeconds(10))].State);
        Assert.Equal(TaskState.Queued, tasks[TaskIdOf("job", Start.AddSeconds(20))].State);
    }

    [Fact]
    public async Task AFollower_FiresNothing_AndTwoSchedulersOnOneTickCreateOneTask()
    {
        _catalog.Set(CronJob("job", "*/10 * * * * *"));
        var leader = Create(_app, _catalog, _time);
        var follower = Create(_app, _catalog, _time);
        Assert.True((await leader.TickAsync(_time.GetUtcNow(), CancellationToken.None)).Leader);
        Assert.False((await follower.TickAsync(_time.GetUtcNow(), CancellationToken.None)).Leader);

        _time.Advance(TimeSpan.FromSeconds(10));
        var a = await leader.TickAsync(_time.GetUtcNow(), CancellationToken.None);
        var b = await follower.TickAsync(_time.GetUtcNow(), CancellationToken.None);

        Assert.Single(a.Fired);
        Assert.Empty(b.Fired);
        Assert.Single(await FiredTaskIds("job"));
    }

    [Fact]
    public async Task AnInvalidExpression_FiresNothing_AndOtherJobsStillRun()
    {
        _catalog.Set(CronJob("broken", "not cron"));
        _catalog.Set(CronJob("good", "*/10 * * * * *"));
        var s = Create(_app, _catalog, _time);
        await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);

        await Step(s, TimeSpan.FromSeconds(10));

        Assert.Empty(await FiredTaskIds("broken"));
        Assert.Single(await FiredTaskIds("good"));
    }
}
