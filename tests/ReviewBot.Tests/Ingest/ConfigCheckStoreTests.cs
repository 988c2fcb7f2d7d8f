using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Storage;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Ingest;

/// <summary>The memory of posted reviewbot/config checks on Azurite: one claim per (repository, base, errors) however
/// many instances race for it, released when the post fails, taken over when left unposted, expired by a key range.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConfigCheckStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<ConfigError> Errors = [new(".reviewbot.yml", 2, 28, "linters.lint-b.command: not allowed")];
    private const string Base = "0123456789abcdef0123456789abcdef01234567";
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>Another instance's account: its own clients on the same tables.</summary>
    private StorageAccount SameTables(StorageAccount account) =>
        new(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = account.ConfigChecks.Name[..^"configchecks".Length] }));

    [Fact]
    public async Task TwoInstancesRacing_ClaimOnce()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Start);
        var stores = new[] { new ConfigCheckStore(account, time), new ConfigCheckStore(SameTables(account), time) };

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => stores[i % 2].TryClaimAsync("group/sub/project", Base, Errors, Ct)))
            .WaitAsync(Timeouts.Short);

        var claim = Assert.Single(claims, c => c is not null);
        await stores[1].MarkPostedAsync(claim!, Ct);
        // Posted: no instance claims it again, however long after (until retention removes it).
        time.Advance(TimeSpan.FromDays(30));
        Assert.Null(await stores[0].TryClaimAsync("GROUP/sub/project", Base.ToUpperInvariant(), Errors, Ct));
        // Other errors, or another base, are a check of their own.
        Assert.NotNull(await stores[0].TryClaimAsync("group/sub/project", Base, [.. Errors, new(".reviewbot.yml", 4, 1, "unknown key")], Ct));
        Assert.NotNull(await stores[1].TryClaimAsync("group/sub/project", Base.Replace('0', 'f'), Errors, Ct));
    }

    [Fact]
    public async Task AReleasedClaim_IsClaimedAgain()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new ConfigCheckStore(account, new FakeTimeProvider(Start));
        var claim = await store.TryClaimAsync("owner/repo", Base, Errors, Ct);

        await store.ReleaseAsync(claim!, Ct);

        Assert.NotNull(await store.TryClaimAsync("owner/repo", Base, Errors, Ct));
        Assert.Equal(2, (await AllRowsAsync(account.ConfigChecks)).Count); // the claim and its one expiry row
    }

    [Fact]
    public async Task AClaimLeftUnposted_IsTakenOverAfterTheTimeout_OnlyOnce()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Start);
        var stopped = new ConfigCheckStore(account, time);
        var other = new ConfigCheckStore(SameTables(account), time);
        var abandoned = await stopped.TryClaimAsync("owner/repo", Base, Errors, Ct);
        Assert.NotNull(abandoned);

        time.Advance(ConfigCheckStore.ClaimTimeout - TimeSpan.FromSeconds(1));
        Assert.Null(await other.TryClaimAsync("owner/repo", Base, Errors, Ct)); // still being posted
        time.Advance(TimeSpan.FromSeconds(2));
        var claims = await Task.WhenAll(other.TryClaimAsync("owner/repo", Base, Errors, Ct), stopped.TryClaimAsync("owner/repo", Base, Errors, Ct)).WaitAsync(Timeouts.Short);

        Assert.Single(claims, c => c is not null);
        // The stopped instance's late release does not undo the new holder's claim (ETag-checked).
        await stopped.ReleaseAsync(abandoned!, Ct);
        Assert.Null(await other.TryClaimAsync("owner/repo", Base, Errors, Ct));
        Assert.Equal(2, (await AllRowsAsync(account.ConfigChecks)).Count); // one claim, one expiry row
    }

    [Fact]
    public async Task ClaimsOlderThanTheAge_Expire_ReadAsOneKeyRange_InBatches()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Start);
        var store = new ConfigCheckStore(account, time);
        for (var i = 0; i < 5; i++) await store.MarkPostedAsync((await store.TryClaimAsync($"owner/old-{i}", Base, Errors, Ct))!, Ct);
        time.Advance(TimeSpan.FromDays(80));
        await store.MarkPostedAsync((await store.TryClaimAsync("owner/young", Base, Errors, Ct))!, Ct);
        time.Advance(TimeSpan.FromDays(11)); // old: 91 days; young: 11 days
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(90);

        Assert.Equal(3, await store.ExpireAsync(cutoff, limit: 3, Ct));
        Assert.Equal(2, await store.ExpireAsync(cutoff, limit: 3, Ct));
        Assert.Equal(0, await store.ExpireAsync(cutoff, limit: 3, Ct));

        Assert.NotNull(await store.TryClaimAsync("owner/old-0", Base, Errors, Ct)); // forgotten: a push now posts once more
        Assert.Null(await store.TryClaimAsync("owner/young", Base, Errors, Ct));
        Assert.Equal(4, (await AllRowsAsync(account.ConfigChecks)).Count); // two claims, two expiry rows
    }

    private static async Task<List<TableEntity>> AllRowsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(cancellationToken: Ct)) rows.Add(e);
        return rows;
    }
}
