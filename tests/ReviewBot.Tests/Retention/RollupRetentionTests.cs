using ReviewBot.Functions.Retention;
using ReviewBot.Functions.Stats;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Retention;

/// <summary>Retention deletes hourly rollups by whole days once RollupAge (a year) has passed, and keeps the rest.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RollupRetentionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RollupDaysOlderThanAYear_AreDeletedInBatches_YoungerOnesKept()
    {
        var rig = await RetentionRig.CreateAsync(azurite, new RetentionOptions { BatchSize = 10 });
        var now = RetentionRig.Start; // 2026-06-01 12:00
        var store = rig.Rollups;
        using var cts = new CancellationTokenSource(Timeouts.Long);
        // Hours of three days beyond the year (the last one ends the day before the cutoff's day) and of two kept days:
        // the cutoff's own day (2025-06-01) and yesterday.
        DateTimeOffset[] old = [.. Hours(now.AddDays(-400), 12), .. Hours(now.AddDays(-380), 6), .. Hours(new DateTimeOffset(2025, 5, 31, 0, 0, 0, TimeSpan.Zero), 24)];
        DateTimeOffset[] kept = [.. Hours(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), 3), .. Hours(now.AddDays(-1), 2)];
        foreach (var hour in old.Concat(kept)) await store.UpdateAsync(hour, r => r.States["succeeded"] = 1, cts.Token);

        var report = await rig.NewService().RunAsync(cts.Token);

        Assert.True(report.Ran);
        Assert.Equal(old.Length, report.Rollups);
        Assert.Empty(await store.ReadAsync(now.AddDays(-401), now.AddDays(-370), cts.Token));
        Assert.Equal(kept.Order(), (await store.ReadAsync(now.AddDays(-369), now, cts.Token)).Select(r => r.Hour));
    }

    private static IEnumerable<DateTimeOffset> Hours(DateTimeOffset day, int count)
    {
        var start = RollupStore.HourOf(new DateTimeOffset(day.UtcDateTime.Date, TimeSpan.Zero));
        return Enumerable.Range(0, count).Select(h => start.AddHours(h));
    }
}
