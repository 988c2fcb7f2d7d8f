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

    [Fact]
    public async Task APingFlushedAfterTheNodeWasDeleted_LeavesNoNode_AndListingRemovesTheStrayRow()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new NodeStore(account);
        await store.UpsertAsync(Registered("leaver", T0), default);
        await store.UpsertAsync(Registered("stayer", T0), default);
        await store.DeleteAsync("leaver", default);
        // A ping batch taken before the delete reaches the table after it: UpsertMerge re-creates a row without Data.
        await store.WriteLastPingsAsync([("leaver", T0.AddSeconds(5)), ("stayer", T0.AddSeconds(5))], default);

        Assert.Null(await store.GetAsync("leaver", default));
        Assert.Equal(["stayer"], (await store.ListAsync(default)).Select(n => n.NodeId));
        Assert.False((await account.Nodes.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(NodeStore.Partition, "leaver")).HasValue);
        Assert.False(await store.TryDeleteIfSilentAsync("leaver", T0.AddDays(1), default));
    }
}
