using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Agents;

/// <summary>The <c>Deregister</c> hub call over real SignalR on Azurite: accepted only from the node's own connection
/// and only while it holds no task; then the node is gone from the registry, the node table and <c>GET /api/agents</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NodeDeregistrationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;
    private GitRepo _repo = null!;
    private readonly List<IAsyncDisposable> _clients = [];

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite, Configs.Single("lint", "\".sh\"", "[\"true\"]", nodeLabels: "linux"));
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _clients) await c.DisposeAsync();
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<ContractClient> ConnectAsync(string nodeId)
    {
        var client = await ContractClient.ConnectAsync(_app, nodeId, "linux");
        _clients.Add(client);
        return client;
    }

    private static Task<TaskAck> DeregisterAsync(ContractClient client, string nodeId) =>
        client.Hub.InvokeAsync<TaskAck>(nameof(IAgentHub.Deregister), new AgentDeregistration(nodeId)).WaitAsync(Timeouts.Short);

    private async Task<bool> ListedAsync(string nodeId) =>
        (await _app.GetJsonAsync<JsonElement>("/api/agents")).EnumerateArray().Any(a => a.GetProperty("nodeId").GetString() == nodeId);

    [Fact]
    public async Task DeregisterFromANodeHoldingATask_IsRefused_AndTheNodeStays_UntilItReportedTheTask()
    {
        var agent = await ConnectAsync("node-busy");
        var response = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var a = await agent.NextAssignmentAsync();
        Assert.True((await agent.AcceptAsync(a)).Accepted);

        var refused = await DeregisterAsync(agent, "node-busy");

        Assert.False(refused.Accepted);
        Assert.Contains(a.TaskId, refused.Reason);
        Assert.NotNull(_app.Agents.Get("node-busy"));
        Assert.True(await ListedAsync("node-busy"));
        Assert.NotNull(await _app.Services.GetRequiredService<NodeStore>().GetAsync("node-busy", CancellationToken.None));

        var result = new TaskResult("node-busy", a.TaskId, a.LeaseToken, TaskOutcome.Succeeded, 0, [], [], ["a.sh"], null, TimeSpan.FromSeconds(1));
        Assert.True((await agent.CompleteAsync(result)).Accepted);
        var accepted = await DeregisterAsync(agent, "node-busy");

        Assert.True(accepted.Accepted, accepted.Reason);
        Assert.Null(_app.Agents.Get("node-busy"));
        Assert.False(await ListedAsync("node-busy"));
        Assert.Null(await _app.Services.GetRequiredService<NodeStore>().GetAsync("node-busy", CancellationToken.None));
        Assert.Equal(TaskState.Succeeded, (await _app.Tasks.GetAsync(a.TaskId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task DeregisterNamingAnotherNode_IsRefused_AndThatNodeStays()
    {
        var victim = await ConnectAsync("node-victim");
        var other = await ConnectAsync("node-other");

        var refused = await DeregisterAsync(other, victim.NodeId);

        Assert.False(refused.Accepted);
        Assert.Contains("node-other", refused.Reason);
        Assert.NotNull(_app.Agents.Get("node-victim"));
        Assert.True(await ListedAsync("node-victim"));
    }
}
