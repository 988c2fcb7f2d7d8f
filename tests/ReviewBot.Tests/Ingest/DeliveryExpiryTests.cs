using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Ingest;

/// <summary>Deliveries' dedupe rows on Azurite: they expire after the delivery age through a range read of expiry rows,
/// a redelivery within it is still deduplicated, and rows written before expiry rows existed get one or go.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeliveryExpiryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Age = TimeSpan.FromDays(7);

    [Fact]
    public async Task DeliveriesOlderThanTheAgeExpire_ARedeliveryWithinItIsStillDeduplicated()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Start);
        var store = new DeliveryStore(account, time);
        var ct = CancellationToken.None;
        Assert.True(await store.TryRecordAsync("github", "d-old", "pull_request", "opened", 1, ct));
        Assert.True(await store.TryRecordAsync("gitlab", "uuid/with/slashes", "merge_request", "open", 1, ct));
        time.Advance(TimeSpan.FromDays(6));
        Assert.True(await store.TryRecordAsync("github", "d-young", "pull_request", "synchronize", 1, ct));
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1)); // d-old: 7 days 1 hour; d-young: 1 day 1 hour

        Assert.Equal(2, await store.ExpireAsync(time.GetUtcNow() - Age, limit: 100, ct));

        Assert.False(await store.ExistsAsync("github", "d-old", ct));
        Assert.False(await store.ExistsAsync("gitlab", "uuid/with/slashes", ct));
        Assert.True(await store.ExistsAsync("github", "d-young", ct)); // a redelivery now is recognised
        Assert.False(await store.TryRecordAsync("github", "d-young", "pull_request", "synchronize", 1, ct));
        Assert.Equal(0, await store.ExpireAsync(time.GetUtcNow() - Age, limit: 100, ct)); // nothing else is old

        time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(1, await store.ExpireAsync(time.GetUtcNow() - Age, limit: 100, ct));
        Assert.False(await store.ExistsAsync("github", "d-young", ct));
        Assert.Empty(await AllRowsAsync(account.Deliveries)); // the expiry rows went with them
    }

    [Fact]
    public async Task ExpiryReadsOnlyTheOldRows_InBatchesOfTheLimit()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Start);
        var store = new DeliveryStore(account, time);
        var ct = CancellationToken.None;
        for (var i = 0; i < 25; i++) await store.TryRecordAsync("github", $"old-{i}", "push", null, 0, ct);
        time.Advance(TimeSpan.FromDays(8));
        for (var i = 0; i < 5; i++) await store.TryRecordAsync("github", $"young-{i}", "push", null, 0, ct);

        Assert.Equal(10, await store.ExpireAsync(time.GetUtcNow() - Age, limit: 10, ct));
        Assert.Equal(10, await store.ExpireAsync(time.GetUtcNow() - Age, limit: 10, ct));
        Assert.Equal(5, await store.ExpireAsync(time.GetUtcNow() - Age, limit: 10, ct));
        Assert.Equal(0, await store.ExpireAsync(time.GetUtcNow() - Age, limit: 10, ct));
        for (var i = 0; i < 5; i++) Assert.True(await store.ExistsAsync("github", $"young-{i}", ct));
        Assert.Equal(10, (await AllRowsAsync(account.Deliveries)).Count); // 5 dedupe rows, 5 expiry rows
    }

    [Fact]
    public async Task RowsWrittenBeforeExpiryRows_AreDeletedWhenOld_OrGivenAnExpiryRow_ByTheResumableOneTimePass()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Start);
        var store = new DeliveryStore(account, time);
        var ct = CancellationToken.None;
        // As the previous version wrote them: a dedupe row only.
        for (var i = 0; i < 5; i++)
            await account.Deliveries.AddEntityAsync(new TableEntity("github", $"legacy-old-{i}") { ["Event"] = "push", ["ReceivedAt"] = Start - TimeSpan.FromDays(30) }, ct);
        await account.Deliveries.AddEntityAsync(new TableEntity("gitlab", "legacy-young") { ["Event"] = "push", ["ReceivedAt"] = Start - TimeSpan.FromDays(2) }, ct);
        await store.TryRecordAsync("github", "new", "push", null, 0, ct);

        var cutoff = time.GetUtcNow() - Age;
        var (deleted, next) = await store.IndexLegacyAsync(cutoff, null, limit: 3, ct);
        var total = deleted;
        var batches = 1;
        while (next is not null)
        {
            (deleted, next) = await store.IndexLegacyAsync(cutoff, next, limit: 3, ct);
            total += deleted;
            batches++;
        }

        Assert.Equal(5, total);
        Assert.Equal(3, batches); // 7 dedupe rows, 3 a batch
        Assert.True(await store.ExistsAsync("gitlab", "legacy-young", ct));
        Assert.True(await store.ExistsAsync("github", "new", ct));
        time.Advance(TimeSpan.FromDays(5) + TimeSpan.FromHours(1)); // legacy-young is 7 days 1 hour old; "new" 5 days 1 hour
        Assert.Equal(1, await store.ExpireAsync(time.GetUtcNow() - Age, limit: 100, ct));
        Assert.False(await store.ExistsAsync("gitlab", "legacy-young", ct));
        Assert.True(await store.ExistsAsync("github", "new", ct));
    }

    private static async Task<List<TableEntity>> AllRowsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>()) rows.Add(e);
        return rows;
    }
}
