using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Stats;
using ReviewBot.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ReviewBot.Tests.Stats;

/// <summary>The hourly rollups on Azurite with a fake clock: a simulated day of endings gives the right counts,
/// percentiles, busy seconds and findings; two instances writing the same hours at once lose nothing.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RollupStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Day = SimulatedDay.Day;

    [Fact]
    public async Task ASimulatedDayOfEndings_GivesEachHourItsCountsByState_PercentilesFindingsAndAgentBusyTime()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Day.AddDays(1));
        var store = new RollupStore(account, time);
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var endings = SimulatedDay.Endings().ToList();
        foreach (var t in endings) await store.RecordAsync(t, capacity: 2, cts.Token);

        var rows = await store.ReadAsync(Day, Day.AddDays(1), cts.Token);

        Assert.Equal(Enumerable.Range(0, 24).Select(h => Day.AddHours(h)), rows.Select(r => r.Hour));
        foreach (var (hour, r) in rows)
        {
            var h = hour.Hour;
            var n = 4 + h % 3;
            var cancelled = h % 2 == 0 ? 1 : 0;
            var failed = h % 2 + 1;
            Assert.Equal(failed, r.States.GetValueOrDefault("failed"));
            Assert.Equal(cancelled, r.States.GetValueOrDefault("cancelled"));
            Assert.Equal(n - failed - cancelled, r.States.GetValueOrDefault("succeeded"));
            Assert.Equal(n - cancelled, r.Run.Count);
            Assert.Equal(n - cancelled, r.Queue.Count);
            Assert.Equal(100, r.Run.Percentile(0.5));
            Assert.Equal(100, r.Run.Percentile(0.95));
            Assert.Equal(endings.Where(t => t.CompletedAt!.Value.Hour == h).Sum(t => t.FindingCount), r.Findings.Values.Sum());
            Assert.Equal(endings.Where(t => t.CompletedAt!.Value.Hour == h && t.Repository == "octo/r0").Sum(t => t.FindingCount), r.Findings.GetValueOrDefault("octo/r0"));
            // Every run (100 s, ending at :30 or later) lies within its hour; agent-a ran the even indexes.
            Assert.Equal(endings.Count(t => t.CompletedAt!.Value.Hour == h && t.NodeName == "agent-a") * 100.0, r.BusySeconds["agent-a"]);
            Assert.Equal(2, r.Capacity["agent-a"]);
        }

        // Hour 2 (even, n = 6): started tasks waited 3, 8, 40, 90, 250 s. The median (rank 2.5) falls in the (30, 60]
        // bucket holding one value: 30 + 30 × 0.5 = 45; the 95th percentile (rank 4.75) in (120, 300], capped at the
        // largest value seen: 120 + 130 × 0.75 = 217.5.
        var two = rows.Single(r => r.Hour == Day.AddHours(2)).Rollup;
        Assert.Equal(45, two.Queue.Percentile(0.5));
        Assert.Equal(217.5, two.Queue.Percentile(0.95));
        Assert.Equal(250, two.Queue.Max);
    }

    [Fact]
    public async Task ADayOfEndingsRecordedAtOnce_CostsOneReadAndOneWritePerHour_AndCountsTheSameAsOneByOne()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Day.AddDays(1));
        var batched = new RollupStore(account, time);
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var endings = SimulatedDay.Endings().ToList();
        var before = account.Metering.Transactions.Where(kv => kv.Key.Item1 == "rollups").Sum(kv => kv.Value);

        await batched.RecordAsync([.. endings.Select(t => (t, 2))], cts.Token);

        // 24 hours, each one point read and one insert, however many endings each holds.
        Assert.Equal(48, account.Metering.Transactions.Where(kv => kv.Key.Item1 == "rollups").Sum(kv => kv.Value) - before);
        var one = await Stores.AccountAsync(azurite);
        var single = new RollupStore(one, time);
        foreach (var t in endings) await single.RecordAsync(t, capacity: 2, cts.Token);
        var expected = await single.ReadAsync(Day, Day.AddDays(1), cts.Token);
        var actual = await batched.ReadAsync(Day, Day.AddDays(1), cts.Token);
        Assert.Equal(expected.Select(r => System.Text.Json.JsonSerializer.Serialize(r.Rollup)), actual.Select(r => System.Text.Json.JsonSerializer.Serialize(r.Rollup)));
    }

    [Fact]
    public async Task ARunSpanningHours_CountsItsBusySecondsInEachHour_AndItsEndingOnceInTheLast()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new RollupStore(account, new FakeTimeProvider(Day.AddDays(1)));
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var task = SimulatedDay.Endings().First() with { StartedAt = Day.AddHours(3).AddMinutes(50), CompletedAt = Day.AddHours(5).AddMinutes(10), State = TaskState.Succeeded };

        await store.RecordAsync(task, capacity: 1, cts.Token);

        var rows = await store.ReadAsync(Day, Day.AddDays(1), cts.Token);
        Assert.Equal([Day.AddHours(3), Day.AddHours(4), Day.AddHours(5)], rows.Select(r => r.Hour));
        Assert.Equal([600.0, 3600.0, 600.0], rows.Select(r => r.Rollup.BusySeconds["agent-a"]));
        Assert.Equal([0, 0, 1], rows.Select(r => r.Rollup.States.GetValueOrDefault("succeeded")));
        Assert.Equal(4800, rows[2].Rollup.Run.Max);
    }

    [Fact]
    public async Task TwoInstancesRecordingTheSameHoursAtOnce_LoseNoCount()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Day.AddDays(1));
        var first = new RollupStore(account, time);
        var second = new RollupStore(account, time);
        var conflicts = 0;
        first.Conflicted += () => Interlocked.Increment(ref conflicts);
        second.Conflicted += () => Interlocked.Increment(ref conflicts);
        using var cts = new CancellationTokenSource(Timeouts.Long);
        // Two hours only, so the two instances (each with several writers in flight) keep racing for the same rows.
        var endings = SimulatedDay.Endings().Where(t => t.CompletedAt!.Value.Hour < 2).ToList();
        var copies = Enumerable.Range(0, 6).SelectMany(c => endings.Select(t => t with { Id = $"{t.Id}-{c}" })).ToList();

        await Task.WhenAll(copies.Select((t, i) => Task.Run(() => (i % 2 == 0 ? first : second).RecordAsync(t, 1, cts.Token))));

        var rows = await first.ReadAsync(Day, Day.AddHours(2), cts.Token);
        Assert.Equal(copies.Count, rows.Sum(r => r.Rollup.States.Values.Sum()));
        Assert.Equal(copies.Count(t => t.StartedAt is not null), rows.Sum(r => r.Rollup.Run.Count));
        Assert.Equal(copies.Sum(t => t.FindingCount), rows.Sum(r => r.Rollup.Findings.Values.Sum()));
        Assert.Equal(copies.Count(t => t.StartedAt is not null) * 100.0, rows.Sum(r => r.Rollup.BusySeconds.Values.Sum()));
        Assert.True(conflicts > 0, "the writers never raced: the test proved nothing");
    }

    [Fact]
    public async Task AnHourPastTheRepositoryBound_CountsFurtherRepositoriesAsOther()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new RollupStore(account, new FakeTimeProvider(Day.AddDays(1)));
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var template = SimulatedDay.Endings().First(t => t.FindingCount > 0);
        for (var i = 0; i < HourRollup.MaxRepositories + 5; i++)
            await store.UpdateAsync(Day, r => r.AddEnding(template with { Id = $"x{i}", Repository = $"octo/many{i:D2}", FindingCount = 1 }), cts.Token);

        var row = Assert.Single(await store.ReadAsync(Day, Day.AddHours(1), cts.Token)).Rollup;
        Assert.Equal(HourRollup.MaxRepositories + 1, row.Findings.Count);
        Assert.Equal(5, row.Findings[HourRollup.Other]);
    }
}
