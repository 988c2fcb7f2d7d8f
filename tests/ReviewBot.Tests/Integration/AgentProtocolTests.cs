using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Integration;

/// <summary>The server's side of the agent protocol, driven by a real SignalR client speaking the contract.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentProtocolTests(AzuriteFixture azurite) : IAsyncLifetime
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

    private async Task<ContractClient> ConnectAsync(string nodeId, params string[] labels)
    {
        var client = await ContractClient.ConnectAsync(_app, nodeId, labels);
        _clients.Add(client);
        return client;
    }

    private async Task<string> DeliverAsync()
    {
        var response = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
    }

    private static TaskResult Result(string node, TaskAssignment a, params Finding[] findings) =>
        new(node, a.TaskId, a.LeaseToken, findings.Length > 0 ? TaskOutcome.Failed : TaskOutcome.Succeeded, 0, findings, ["noise"], ["a.sh"], null, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task HubRefusesConnectionsWithoutAValidAgentToken()
    {
        var hub = ContractClient.Build(_app, "wrong");
        _clients.Add(hub);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync().WaitAsync(Timeouts.Short));
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
    }

    [Fact]
    public async Task AcceptedAndCompletedTask_StoresTheFindingsAndUnexpectedLines()
    {
        var agent = await ConnectAsync("node-a", "linux");
        var id = await DeliverAsync();
        var a = await agent.NextAssignmentAsync();
        Assert.Equal(id, a.TaskId);
        Assert.Equal(_repo.CloneUrl, a.Source.CloneUrl);
        Assert.Equal(_repo.HeadSha, a.Source.HeadSha);
        Assert.Equal(_repo.BaseSha, a.Source.BaseSha);

        Assert.True((await agent.AcceptAsync(a)).Accepted);
        await agent.Hub.InvokeAsync(nameof(IAgentHub.AppendLog), new LogChunk("node-a", a.TaskId, a.LeaseToken, 0, "line one\n"));
        await agent.Hub.InvokeAsync(nameof(IAgentHub.AppendLog), new LogChunk("node-a", a.TaskId, a.LeaseToken, 0, "line one\n"));
        await agent.Hub.InvokeAsync(nameof(IAgentHub.AppendLog), new LogChunk("node-a", a.TaskId, a.LeaseToken, 1, "line two\n"));
        var ack = await agent.CompleteAsync(Result("node-a", a, new Finding("a.sh", 1, 6, null, Severity.Info, "SC2086", "Double quote")));

        Assert.True(ack.Accepted);
        var details = await _app.GetJsonAsync<JsonElement>($"/api/tasks/{id}");
        Assert.Equal("failed", details.GetProperty("state").GetString());
        Assert.Equal("SC2086", details.GetProperty("findings")[0].GetProperty("rule").GetString());
        Assert.Equal("noise", details.GetProperty("unexpected")[0].GetString());
        Assert.Equal("line one\nline two\n", await _app.Http.GetStringAsync($"/api/tasks/{id}/log"));
        Assert.Equal(["queued", "assigned", "running", "failed"], details.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task ResultUnderAReplacedLease_IsRefusedAndChangesNothing()
    {
        var first = await ConnectAsync("node-old", "linux");
        var id = await DeliverAsync();
        var stale = await first.NextAssignmentAsync();
        await first.AcceptAsync(stale);
        await first.Hub.StopAsync(); // gone: after the grace its task is queued again
        var second = await ConnectAsync("node-new", "linux");
        var fresh = await second.NextAssignmentAsync();
        Assert.NotEqual(stale.LeaseToken, fresh.LeaseToken);
        Assert.Equal(2, fresh.Attempt);
        await second.AcceptAsync(fresh);

        var late = await second.CompleteAsync(Result("node-old", stale, new Finding("a.sh", 1, 1, null, Severity.Error, "X", "stale")));
        var current = await second.CompleteAsync(Result("node-new", fresh));

        Assert.False(late.Accepted);
        Assert.True(current.Accepted);
        var task = await _app.Tasks.GetAsync(id, default);
        Assert.Equal(TaskState.Succeeded, task!.State);
        Assert.Equal(0, task.FindingCount);
        Assert.Equal("node-new", task.NodeId);
    }

    [Fact]
    public async Task AgentThatDoesNotAccept_IsSkippedForTheNextCandidate()
    {
        var silent = await ConnectAsync("node-silent", "linux");
        var id = await DeliverAsync();
        var ignored = await silent.NextAssignmentAsync();
        var other = await ConnectAsync("node-other", "linux");

        var next = await other.NextAssignmentAsync();

        Assert.Equal(id, next.TaskId);
        Assert.NotEqual(ignored.LeaseToken, next.LeaseToken);
        var task = await _app.Tasks.GetAsync(id, default);
        Assert.Contains(task!.History, h => h.Note.Contains("did not accept"));
        Assert.Equal(1, next.Attempt); // not answering is not an attempt
    }

    [Fact]
    public async Task RefusedAssignment_GoesToAnotherAgent()
    {
        var busy = await ConnectAsync("node-busy", "linux");
        var id = await DeliverAsync();
        var offered = await busy.NextAssignmentAsync();
        var free = await ConnectAsync("node-free", "linux");

        await busy.AcceptAsync(offered, accepted: false, reason: "agent is full");
        var next = await free.NextAssignmentAsync();

        Assert.Equal(id, next.TaskId);
        var task = await _app.Tasks.GetAsync(id, default);
        Assert.Contains(task!.History, h => h.Note.Contains("refused by node-busy: agent is full"));
    }

    [Fact]
    public async Task AgentsApi_ShowsStateLabelsLoadAndRunningTasks()
    {
        var agent = await ConnectAsync("node-api", "linux", "os:linux");
        var id = await DeliverAsync();
        var a = await agent.NextAssignmentAsync();
        await agent.AcceptAsync(a);

        var agents = await _app.GetJsonAsync<JsonElement>("/api/agents");

        var shown = agents.EnumerateArray().Single(e => e.GetProperty("nodeId").GetString() == "node-api");
        Assert.Equal("online", shown.GetProperty("state").GetString());
        Assert.Equal(["linux", "os:linux"], shown.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(1, shown.GetProperty("running").GetInt32());
        Assert.Equal(id, shown.GetProperty("runningTasks")[0].GetString());
        Assert.True(shown.GetProperty("lastPing").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task HeartbeatsAreWrittenToTableStorageInBatches_NotOnePerHeartbeat()
    {
        var nodes = _app.Services.GetRequiredService<ReviewBot.Functions.Agents.NodeStore>();
        var monitor = _app.Services.GetRequiredService<ReviewBot.Functions.Agents.PresenceMonitor>();
        var hubs = new List<HubConnection>();
        for (var i = 0; i < 5; i++) hubs.Add((await ConnectAsync($"node-ping-{i}")).Hub);
        await monitor.FlushPingsAsync(default);
        var before = nodes.LastPingTransactions;

        for (var round = 0; round < 4; round++)
            foreach (var (hub, i) in hubs.Select((h, i) => (h, i)))
                await hub.InvokeAsync(nameof(IAgentHub.Heartbeat), new AgentHeartbeat($"node-ping-{i}", [], false));
        await monitor.FlushPingsAsync(default);

        Assert.Equal(1, nodes.LastPingTransactions - before); // 20 heartbeats, one transaction
        var stored = await nodes.ListAsync(default);
        Assert.All(stored.Where(n => n.NodeId.StartsWith("node-ping-")), n => Assert.True(n.LastPing > DateTimeOffset.UtcNow.AddMinutes(-1)));
    }
}

/// <summary>Tasks that cannot be placed, or whose agents keep getting lost, end with the reason.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RoutingFailureTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly GitRepo _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _repo.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> DeliverAsync(TestApp app)
    {
        var response = await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
    }

    [Fact]
    public async Task TaskNotPlacedWithinTheQueueTimeout_FailsWithTheReason()
    {
        await using var app = await TestApp.StartAsync(azurite, Configs.Single("lint", "\".sh\"", "[\"true\"]", nodeLabels: "gpu"),
            new Dictionary<string, string?> { ["ReviewBot:Routing:QueueTimeout"] = "00:00:01" });
        await using var cpu = await ContractClient.ConnectAsync(app, "cpu-node", "linux");

        var id = await DeliverAsync(app);
        var failed = await app.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Short, "the queue timeout");

        Assert.Equal(TaskState.Errored, failed.State);
        Assert.Contains("not placed within", failed.Error);
        Assert.Contains("gpu", failed.Error);
    }

    [Fact]
    public async Task TaskWhoseAgentsAreLostTooOften_FailsAfterTheLastAttempt()
    {
        await using var app = await TestApp.StartAsync(azurite, Configs.Single("lint", "\".sh\"", "[\"true\"]", nodeLabels: "linux"),
            new Dictionary<string, string?> { ["ReviewBot:Routing:MaxAttempts"] = "2", ["ReviewBot:Agents:DisconnectGrace"] = "00:00:00.500" });
        var id = await DeliverAsync(app);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var agent = await ContractClient.ConnectAsync(app, $"node-{attempt}", "linux");
            var a = await agent.NextAssignmentAsync();
            Assert.Equal(attempt, a.Attempt);
            await agent.AcceptAsync(a);
            await agent.DisposeAsync(); // the machine disappears mid-task
        }
        var failed = await app.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Short, "the task to give up");

        Assert.Equal(TaskState.Errored, failed.State);
        Assert.Contains("gave up after 2 attempt(s)", failed.Error);
    }
}
