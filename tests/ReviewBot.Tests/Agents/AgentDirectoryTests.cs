using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Agents;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Agents;

[Collection(AzuriteCollection.Name)]
public sealed class AgentDirectoryTests(AzuriteFixture azurite)
{
    private static NodeRecord Node(string id) =>
        new(id, id, ["linux"], 1, false, "1", "linux", "x64", "Online", "host", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Fact]
    public async Task RightAfterARestart_AShorterStoredListDoesNotReplaceTheCachedOne_UntilTheWarmupHasPassed()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new NodeStore(account);
        foreach (var id in new[] { "n1", "n2", "n3" }) await store.UpsertAsync(Node(id), default);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new AgentsOptions { CacheWarmup = TimeSpan.FromMinutes(2) });
        var directory = new AgentDirectory(store, new AgentRegistry(options, time), options, time, NullLogger<AgentDirectory>.Instance);
        Assert.Equal(3, (await directory.ListAsync(default)).Count);

        await account.Nodes.DeleteEntityAsync(NodeStore.Partition, "n2");
        await account.Nodes.DeleteEntityAsync(NodeStore.Partition, "n3");
        var duringWarmup = await directory.ListAsync(default);
        time.Advance(TimeSpan.FromMinutes(2));
        var afterWarmup = await directory.ListAsync(default);

        Assert.Equal(3, duringWarmup.Count);
        Assert.Equal(["n1"], afterWarmup.Select(v => v.NodeId));
    }

    [Fact]
    public async Task StoredNodesThatAreNotConnected_AreListedOffline()
    {
        var store = new NodeStore(await Stores.AccountAsync(azurite));
        await store.UpsertAsync(Node("gone"), default);
        var options = Options.Create(new AgentsOptions());
        var directory = new AgentDirectory(store, new AgentRegistry(options, TimeProvider.System), options, TimeProvider.System, NullLogger<AgentDirectory>.Instance);

        var view = Assert.Single(await directory.ListAsync(default));

        Assert.Equal("offline", view.State);
    }
}
