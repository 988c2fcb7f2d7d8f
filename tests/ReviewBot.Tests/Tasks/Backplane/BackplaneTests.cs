using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Tasks.Backplane;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Tasks.Backplane;

/// <summary>
/// Two self-hosted instances on one storage prefix and one Redis (a redis-server of the test's own), a real agent
/// process behind a tiny TCP load balancer: work created on one instance runs on an agent connected to the other,
/// and when that instance dies the agent moves over with its task.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BackplaneTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SlowLinter = """
        linters:
          slow:
            languages: [".sh"]
            command: ["sh", "-c", "sleep 4; echo slow done", "slow"]
            args: ["{files}"]
            format: gcc
            nodeLabels: "linux"
            timeout: 00:01:00
        """;

    private readonly List<IAsyncDisposable> _owned = [];
    private RedisServer _redis = null!;
    private GitRepo _repo = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo a\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo \"$1\"\n" });
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        await _redis.DisposeAsync();
        _repo.Dispose();
    }

    /// <param name="disconnectGrace">How long a node may take to come back (TestApp's 2 s by default).</param>
    private async Task<TestApp> Instance(string prefix, string? disconnectGrace = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReviewBot:SignalR:Redis"] = _redis.Configuration,
            ["ReviewBot:SignalR:QueueScanInterval"] = "00:01:00", // the Redis announcement must do it, not the scan
        };
        if (disconnectGrace is not null) settings["ReviewBot:Agents:DisconnectGrace"] = disconnectGrace;
        var app = await TestApp.StartAsync(azurite, SlowLinter, settings, prefix);
        _owned.Add(app);
        return app;
    }

    private static int PortOf(TestApp app) => new Uri(app.Url).Port;

    /// <summary>Completes when <paramref name="app"/> stores the first output of a task: the agent got the answer to its
    /// acceptance and is working on it. Subscribe before the task exists so no output is missed.</summary>
    private static Task FirstOutputAsync(TestApp app)
    {
        var output = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<LiveLogs>().Appended += (_, _) => output.TrySetResult();
        return output.Task;
    }

    [Fact]
    public async Task TaskCreatedOnB_RunsOnTheAgentOfA_AndSurvivesTheDeathOfA()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var a = await Instance(prefix);
        var b = await Instance(prefix);
        Assert.Contains("Redis", b.Services.GetRequiredService<HubLifetimeManager<AgentHub>>().GetType().Name);
        await using var balancer = new TcpSwitch(PortOf(a));
        var agent = AgentProcess.Start(balancer.Url, "linux-box", ["linux"]);
        _owned.Add(agent);
        await a.WaitForOnlineAsync(agent, Timeouts.Long);
        Assert.DoesNotContain(b.Agents.All, n => n.ConnectionId is not null);

        // The webhook reaches B, which has no agent; A's agent gets the task through the Redis announcement.
        var working = FirstOutputAsync(a);
        var response = await b.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Single().GetString()!;
        var running = await a.WaitForTaskAsync(id, t => t.State == TaskState.Running, Timeouts.Long, "A to place the task on its agent");
        Assert.Equal("linux-box", running.NodeName);
        await working.WithTimeout(Timeouts.Long, "the agent's first output on A");

        // A dies while the linter runs; the balancer sends the agent to B, which takes over the running task.
        balancer.SwitchTo(PortOf(b));
        _owned.Remove(a);
        await a.DisposeAsync();
        await b.WaitForOnlineAsync(agent, Timeouts.Long);

        ReviewTask done;
        try { done = await b.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Long, "the task to complete on B"); }
        catch (TimeoutException e) { throw new TimeoutException(e.Message + "\nAgent output:\n" + agent.Output); }
        Assert.True(done.State == TaskState.Succeeded, $"{done.State}: {done.Error}\n{agent.Output}");
        Assert.Equal(1, done.Attempt);
        Assert.Equal("linux-box", done.NodeName);
    }

    [Fact]
    public async Task NodeThatMovedToAnotherInstance_KeepsItsTasks_WhenTheFirstSweepsIt()
    {
        var prefix = AzuriteFixture.NewPrefix();
        // A grace well above the agent's reconnect (about 1.5 s here, longer on a loaded machine): this test is about a
        // node that did move within it; one that did not is offline, and its tasks rightly go back to the queue.
        var a = await Instance(prefix, disconnectGrace: "00:00:05");
        var b = await Instance(prefix);
        await using var balancer = new TcpSwitch(PortOf(a));
        var agent = AgentProcess.Start(balancer.Url, "mover", ["linux"]);
        _owned.Add(agent);
        await a.WaitForOnlineAsync(agent, Timeouts.Long);

        var working = FirstOutputAsync(a);
        var response = await a.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Single().GetString()!;
        await a.WaitForTaskAsync(id, t => t.State == TaskState.Running, Timeouts.Long, "the task to run on A's agent");
        await working.WithTimeout(Timeouts.Long, "the agent's first output on A");

        // The agent's connection to A breaks (A stays up) and it reconnects to B; A still holds the task until its grace
        // ends. A's first presence check that finds the node gone must see in the node table that the node registered
        // with B since (even if A flushed its own older ping over B's) and leave the task where it is.
        var aSweptTheNode = new TaskCompletionSource<SweepResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Services.GetRequiredService<PresenceMonitor>().Swept += r => { if (r.Offline + r.Elsewhere > 0) aSweptTheNode.TrySetResult(r); };
        balancer.SwitchTo(PortOf(b));
        await b.WaitForOnlineAsync(agent, Timeouts.Long);
        var sweep = await aSweptTheNode.Task.WithTimeout(Timeouts.Short, "A's presence check to find the node gone past its grace");
        Assert.Equal(new SweepResult(Offline: 0, Requeued: 0, Elsewhere: 1), sweep);

        var done = await b.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Long, "the task to complete on B");
        Assert.True(done.State == TaskState.Succeeded, $"{done.State}: {done.Error}\n{agent.Output}");
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task TaskTheAgentLostWhileItsInstanceDied_IsRequeuedWhenItRegistersElsewhere_AndCompletes()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var a = await Instance(prefix);
        var b = await Instance(prefix);
        await using var balancer = new TcpSwitch(PortOf(a));
        var agent = AgentProcess.Start(balancer.Url, "unlucky", ["linux"]);
        _owned.Add(agent);
        await a.WaitForOnlineAsync(agent, Timeouts.Long);

        var response = await b.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Single().GetString()!;
        // A dies the moment it records the acceptance: the answer may never reach the agent, which then drops the task.
        await a.WaitForTaskAsync(id, t => t.State == TaskState.Running, Timeouts.Long, "A to record the acceptance");
        balancer.SwitchTo(PortOf(b));
        _owned.Remove(a);
        await a.DisposeAsync();

        var done = await b.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Long, "the task to complete on B");
        Assert.True(done.State == TaskState.Succeeded, $"{done.State}: {done.Error}\n{agent.Output}");
    }

    [Fact]
    public async Task Announcements_ReachTheOtherInstance()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var a = await Instance(prefix);
        var b = await Instance(prefix);
        var broadcast = a.Services.GetRequiredService<TaskQueueBroadcast>();
        var queue = a.Services.GetRequiredService<ReviewBot.Functions.Tasks.TaskQueue>();
        var queuedOnA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        broadcast.Applied += _ => { if (queue.Count == 1) queuedOnA.TrySetResult(); };

        var response = await b.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await queuedOnA.Task.WithTimeout(Timeouts.Short, "B's new task to be queued on A through Redis");
        Assert.True(broadcast.Received > 0);
    }

    [Fact]
    public async Task AgentRevokedThroughB_IsCutOffByA_WhichHoldsItsConnection()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var a = await Instance(prefix);
        var b = await Instance(prefix);
        var agent = AgentProcess.Start(a.Url, "revoked-box", ["linux"]);
        _owned.Add(agent);
        await a.WaitForOnlineAsync(agent, Timeouts.Long);
        var nodeId = a.Agents.All.Single(n => n.Name == "revoked-box").NodeId;

        var revoke = await b.Http.PostAsync($"/api/agents/{nodeId}/revoke", null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        // B cannot close A's socket: A's revocation sweep (every LastPingFlushInterval) does.
        await a.WaitForAgentsAsync(r => r.Get(nodeId) is { Revoked: true, ConnectionId: null }, Timeouts.Short, "A to cut the revoked agent off");
        await agent.WaitForExitAsync(Timeouts.Long);
        Assert.True(agent.ExitCode == 2, agent.Output);
    }
}
