using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Retention;

namespace ReviewBot.Tests.Agents;

/// <summary>Node registry retention on Azurite: agents silent for longer than the age are pruned with their credential,
/// but never one with an active task, one seen recently, or a revoked credential.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentPruningTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AgentsSilentLongerThanTheAge_ArePruned_ExceptThoseWithActiveTasks()
    {
        var rig = await RetentionRig.CreateAsync(azurite);
        var ct = CancellationToken.None;
        var now = RetentionRig.Start;
        var longAgo = now - TimeSpan.FromDays(100);
        await rig.Nodes.UpsertAsync(RetentionRig.Node("ephemeral-1", longAgo), ct);
        await rig.Nodes.UpsertAsync(RetentionRig.Node("ephemeral-2", longAgo, state: "Online"), ct); // its instance died
        await rig.Nodes.UpsertAsync(RetentionRig.Node("busy", longAgo), ct);
        await rig.Nodes.UpsertAsync(RetentionRig.Node("recent", now - TimeSpan.FromDays(3)), ct);
        await rig.Nodes.UpsertAsync(RetentionRig.Node("revoked", longAgo), ct);
        foreach (var id in new[] { "ephemeral-1", "ephemeral-2", "busy", "recent" })
            Assert.True(await rig.Credentials.TryAddAsync(new StoredCredential(id, "hash", id, longAgo, null, null), ct));
        Assert.True(await rig.Credentials.TryAddAsync(new StoredCredential("revoked", "hash", "revoked", longAgo, longAgo, "admin"), ct));
        await rig.AddAsync(RetentionRig.Task("held", longAgo, TaskState.Running, reportDone: false, nodeId: "busy"));
        rig.Registry.AddRemembered("ephemeral-1", "ephemeral-1", ["linux"], 1, false, "agent");

        var pruned = await new AgentPruning(rig.Nodes, rig.Credentials, rig.Registry, rig.Tasks).PruneAsync(now - rig.Options.TaskAge, 100, ct);

        Assert.Equal(["ephemeral-1", "ephemeral-2", "revoked"], pruned.Order(StringComparer.Ordinal));
        Assert.Equal(["busy", "recent"], (await rig.Nodes.ListAsync(ct)).Select(n => n.NodeId).Order(StringComparer.Ordinal));
        Assert.Null(rig.Registry.Get("ephemeral-1"));
        Assert.Null(await rig.Credentials.GetAsync("ephemeral-1", ct));
        Assert.NotNull(await rig.Credentials.GetAsync("busy", ct));
        Assert.True((await rig.Credentials.GetAsync("revoked", ct))!.Revoked); // still bars the node id
    }

    [Fact]
    public async Task ANodeThatCameBackAfterItWasListed_IsNotDeleted()
    {
        var rig = await RetentionRig.CreateAsync(azurite);
        var ct = CancellationToken.None;
        var cutoff = RetentionRig.Start - rig.Options.TaskAge;
        await rig.Nodes.UpsertAsync(RetentionRig.Node("back", cutoff - TimeSpan.FromDays(1)), ct);
        await rig.Nodes.WriteLastPingsAsync([("back", RetentionRig.Start)], ct);

        Assert.False(await rig.Nodes.TryDeleteIfSilentAsync("back", cutoff, ct));
        Assert.NotNull(await rig.Nodes.GetAsync("back", ct));
    }
}
