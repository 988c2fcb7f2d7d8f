using ReviewBot.Functions.Agents;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Agents;

[Collection(AzuriteCollection.Name)]
public sealed class NodeStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static NodeRecord Registered(string id, DateTimeOffset at) =>
        new(id, id, ["linux"], 1, false, "1", "linux", "x64", "Online", "host", at, at);

    [Fact]
    public async Task LastSeen_KeepsTheNewerRegistration_WhenTheInstanceTheNodeLeftFlushesAnOlderPing()
    {
        var store = new NodeStore(await Stores.AccountAsync(azurite));
        // The node pinged instance A at T0, registered with instance B at T0 + 1 s, then A flushed the ping it held.
        await store.UpsertAsync(Registered("mover", T0.AddSeconds(1)), default);
        await store.WriteLastPingsAsync([("mover", T0)], default);

        Assert.Equal(T0.AddSeconds(1), await store.GetLastSeenAsync("mover", default));
    }

    [Fact]
    public async Task LastSeen_IsTheLastPing_WhenItIsNewerThanTheRegistration()
    {
        var store = new NodeStore(await Stores.AccountAsync(azurite));
        await store.UpsertAsync(Registered("steady", T0), default);
        await store.WriteLastPingsAsync([("steady", T0.AddSeconds(30))], default);

        Assert.Equal(T0.AddSeconds(30), await store.GetLastSeenAsync("steady", default));
        Assert.Null(await store.GetLastSeenAsync("unknown", default));
    }
}
