using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Reminders.Chat;

/// <summary>The replay store on Azurite: one claim per key and family, concurrent claims have one winner, a row whose window
/// closed is ignored and purged.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChatReplayStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OneClaimPerKey_ConcurrentClaimsHaveOneWinner_ExpiredRowsAreIgnoredAndPurged()
    {
        var store = new ChatReplayStore(await Stores.AccountAsync(azurite));
        var key = new ReplayKey("slack", "v0=abc/+=", Now.AddMinutes(5));
        Assert.True(await store.TryClaimAsync(key, Now, CancellationToken.None));
        Assert.False(await store.TryClaimAsync(key, Now.AddMinutes(4), CancellationToken.None));
        Assert.True(await store.TryClaimAsync(key with { Family = "wecom" }, Now, CancellationToken.None)); // families apart

        var racing = new ReplayKey("dingtalk", "sign-1", Now.AddHours(1));
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TryClaimAsync(racing, Now, CancellationToken.None)));
        Assert.Single(claims, won => won);

        // After its window the row means nothing: taken over, then purged with the other expired ones.
        Assert.True(await store.TryClaimAsync(key with { Until = Now.AddMinutes(20) }, Now.AddMinutes(6), CancellationToken.None));
        Assert.Equal(2, await store.PurgeAsync(Now.AddMinutes(30), CancellationToken.None)); // slack (taken over) and wecom; not yet dingtalk's
        Assert.True(await store.TryClaimAsync(key, Now, CancellationToken.None));
    }
}
