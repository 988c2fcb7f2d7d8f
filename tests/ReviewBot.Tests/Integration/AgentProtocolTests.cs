using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Integration;

/// <summary>The server's side of the agent protocol, driven by a real SignalR client speaking the contract.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentProtocolTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;
    private GitRepo _repo = null!;
    private readonly List<HubConnection> _connections = [];

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite, Configs.Single("lint", "\".sh\"", "[\"true\"]", nodeLabels: "linux"));
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _connections) await c.DisposeAsync();
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<(HubConnection Hub, Channel Assignments)> ConnectAsync(string nodeId, string token = TestApp.AgentToken, params string[] labels)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(_app.Url.TrimEnd('/') + AgentProtocol.HubPath, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var assignments = new Channel();
        hub.On<TaskAssignment>(nameof(IAgentClient.AssignTask), a => assignments.Writer.TryWrite(a));
        hub.On<TaskCancellation>(nameof(IAgentClient.CancelTask), c => assignments.Cancellations.Writer.TryWrite(c));
        _connections.Add(hub);
        await hub.StartAsync().WaitAsync(Timeouts.Short);
        var result = await hub.InvokeAsync<RegistrationResult>(nameof(IAgentHub.Register),
            new AgentRegistration(nodeId, nodeId, labels, 1, false, "test", "linux", "x64", AgentProtocol.Version, [])).WaitAsync(Timeouts.Short);
        Assert.True(result.Accepted, result.Reason);
        return (hub, assignments);
    }

    public sealed class Channel
    {
        private readonly System.Threading.Channels.Channel<TaskAssignment> _inner = System.Threading.Channels.Channel.CreateUnbounded<TaskAssignment>();
        public System.Threading.Channels.ChannelWriter<TaskAssignment> Writer => _inner.Writer;
        public System.Threading.Channels.Channel<TaskCancellation> Cancellations { get; } = System.Threading.Channels.Channel.CreateUnbounded<TaskCancellation>();
        public Task<TaskAssignment> NextAsync() => _inner.Reader.ReadAsync().AsTask().WithTimeout(Timeouts.Short, "an assignment");
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
        var hub = new HubConnectionBuilder()
            .WithUrl(_app.Url.TrimEnd('/') + AgentProtocol.HubPath, o => o.AccessTokenProvider = () => Task.FromResult<string?>("wrong"))
            .Build();
        _connections.Add(hub);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync().WaitAsync(Timeouts.Short));
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
    }

    [Fact]
    public async Task AcceptedAndCompletedTask_StoresTheFindingsAndUnexpectedLines()
    {
        var (hub, assignments) = await ConnectAsync("node-a", labels: "linux");
        var id = await DeliverAsync();
        var a = await assignments.NextAsync();
        Assert.Equal(id, a.TaskId);
        Assert.Equal(_repo.CloneUrl, a.Source.CloneUrl);
        Assert.Equal(_repo.HeadSha, a.Source.HeadSha);
        Assert.Equal(_repo.BaseSha, a.Source.BaseSha);

        Assert.True((await hub.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), new TaskAcceptance("node-a", a.TaskId, a.LeaseToken, true, null))).Accepted);
        await hub.InvokeAsync(nameof(IAgentHub.AppendLog), new LogChunk("node-a", a.TaskId, a.LeaseToken, 0, "line one\n"));
        await hub.InvokeAsync(nameof(IAgentHub.AppendLog), new LogChunk("node-a", a.TaskId, a.LeaseToken, 0, "line one\n"));
        await hub.InvokeAsync(nameof(IAgentHub.AppendLog), new LogChunk("node-a", a.TaskId, a.LeaseToken, 1, "line two\n"));
        var ack = await hub.InvokeAsync<TaskAck>(nameof(IAgentHub.CompleteTask), Result("node-a", a, new Finding("a.sh", 1, 6, null, Severity.Info, "SC2086", "Double quote")));

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
        var (first, firstAssignments) = await ConnectAsync("node-old", labels: "linux");
        var id = await DeliverAsync();
        var stale = await firstAssignments.NextAsync();
        await first.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), new TaskAcceptance("node-old", id, stale.LeaseToken, true, null));
        await first.StopAsync(); // gone: after the grace its task is queued again
        var (second, secondAssignments) = await ConnectAsync("node-new", labels: "linux");
        var fresh = await secondAssignments.NextAsync();
        Assert.NotEqual(stale.LeaseToken, fresh.LeaseToken);
        Assert.Equal(2, fresh.Attempt);
        await second.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), new TaskAcceptance("node-new", id, fresh.LeaseToken, true, null));

        var late = await second.InvokeAsync<TaskAck>(nameof(IAgentHub.CompleteTask), Result("node-old", stale, new Finding("a.sh", 1, 1, null, Severity.Error, "X", "stale")));
        var current = await second.InvokeAsync<TaskAck>(nameof(IAgentHub.CompleteTask), Result("node-new", fresh));

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
        var (_, silentAssignments) = await ConnectAsync("node-silent", labels: "linux");
        var id = await DeliverAsync();
        var ignored = await silentAssignments.NextAsync();
        var (other, otherAssignments) = await ConnectAsync("node-other", labels: "linux");

        var next = await otherAssignments.NextAsync();

        Assert.Equal(id, next.TaskId);
        Assert.NotEqual(ignored.LeaseToken, next.LeaseToken);
        var task = await _app.Tasks.GetAsync(id, default);
        Assert.Contains(task!.History, h => h.Note.Contains("did not accept"));
        Assert.Equal(1, next.Attempt); // not answering is not an attempt
    }

    [Fact]
    public async Task RefusedAssignment_GoesToAnotherAgent()
    {
        var (busy, busyAssignments) = await ConnectAsync("node-busy", labels: "linux");
        var id = await DeliverAsync();
        var offered = await busyAssignments.NextAsync();
        var (_, freeAssignments) = await ConnectAsync("node-free", labels: "linux");

        await busy.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), new TaskAcceptance("node-busy", id, offered.LeaseToken, false, "agent is full"));
        var next = await freeAssignments.NextAsync();

        Assert.Equal(id, next.TaskId);
        var task = await _app.Tasks.GetAsync(id, default);
        Assert.Contains(task!.History, h => h.Note.Contains("refused by node-busy: agent is full"));
    }

    [Fact]
    public async Task AgentsApi_ShowsStateLabelsLoadAndRunningTasks()
    {
        var (hub, assignments) = await ConnectAsync("node-api", labels: ["linux", "os:linux"]);
        var id = await DeliverAsync();
        var a = await assignments.NextAsync();
        await hub.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), new TaskAcceptance("node-api", id, a.LeaseToken, true, null));

        var agents = await _app.GetJsonAsync<JsonElement>("/api/agents");

        var agent = agents.EnumerateArray().Single(e => e.GetProperty("nodeId").GetString() == "node-api");
        Assert.Equal("online", agent.GetProperty("state").GetString());
        Assert.Equal(["linux", "os:linux"], agent.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(1, agent.GetProperty("running").GetInt32());
        Assert.Equal(id, agent.GetProperty("runningTasks")[0].GetString());
        Assert.True(agent.GetProperty("lastPing").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task HeartbeatsAreWrittenToTableStorageInBatches_NotOnePerHeartbeat()
    {
        var nodes = _app.Services.GetRequiredService<ReviewBot.Functions.Storage.NodeStore>();
        var monitor = _app.Services.GetServices<IHostedService>().OfType<ReviewBot.Functions.Agents.PresenceMonitor>().Single();
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
