using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Integration;

/// <summary>
/// Ephemeral agents with the real agent process: <c>--once</c> takes exactly one task, reports it, deregisters (the
/// server forgets the node, its row and its credential) and exits 0, and the server never gives it a second; <c>--idle-exit</c> stops an agent that got no task in time (exit 3 for a once-agent
/// that ran nothing).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EphemeralAgentTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string TwoLinters = """
        linters:
          first:
            languages: [".sh"]
            command: ["sh", "-c", "echo first ran", "first"]
            args: ["{files}"]
            format: gcc
            nodeLabels: "linux"
          second:
            languages: [".sh"]
            command: ["sh", "-c", "echo second ran", "second"]
            args: ["{files}"]
            format: gcc
            nodeLabels: "linux"
        """;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly GitRepo _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, TwoLinters);

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private AgentProcess Start(string name, params string[] extraArgs)
    {
        var agent = AgentProcess.Start(_app.Url, name, ["linux"], extraArgs: extraArgs);
        _owned.Add(agent);
        return agent;
    }

    [Fact]
    public async Task OnceAgent_RunsOneOfTwoQueuedTasks_ExitsZero_AndTheSecondStaysQueuedForAnotherAgent()
    {
        var delivery = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var taskIds = JsonDocument.Parse(await delivery.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(2, taskIds.Count);
        foreach (var id in taskIds) await _app.WaitForTaskAsync(id, t => t.State == TaskState.Queued, Timeouts.Short, "the task to be queued");

        var once = Start("once-box", "--once");
        await once.WaitForExitAsync(Timeouts.Long);

        Assert.True(once.ExitCode == 0, once.Output);
        var tasks = await Task.WhenAll(taskIds.Select(id => _app.Tasks.GetAsync(id, CancellationToken.None)));
        var ran = Assert.Single(tasks, t => t!.State == TaskState.Succeeded);
        var waiting = Assert.Single(tasks, t => t!.State == TaskState.Queued);
        Assert.Equal("once-box", ran!.NodeName);
        Assert.DoesNotContain(waiting!.History, h => h.State == TaskState.Assigned); // never offered to the once-agent
        Assert.Contains("--once", once.Output);

        var next = Start("next-box");
        await _app.WaitForTaskAsync(waiting.Id, t => t.State == TaskState.Succeeded, Timeouts.Long, "the second task to run on another agent");
        Assert.Equal("next-box", (await _app.Tasks.GetAsync(waiting.Id, CancellationToken.None))!.NodeName);
        Assert.False(next.HasExited);
    }

    [Fact]
    public async Task OnceAgent_AfterReportingItsTask_Deregisters_AndIsGoneFromTheAgentList_TheNodeTable_AndTheCredentials()
    {
        var delivery = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var taskIds = JsonDocument.Parse(await delivery.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()!).ToList();
        foreach (var id in taskIds) await _app.WaitForTaskAsync(id, t => t.State == TaskState.Queued, Timeouts.Short, "the task to be queued");

        var once = Start("spent-box", "--once");
        await once.WaitForExitAsync(Timeouts.Long);

        Assert.True(once.ExitCode == 0, once.Output);
        var nodeId = File.ReadAllText(Path.Combine(once.WorkDir, "node-id")).Trim();
        var tasks = await Task.WhenAll(taskIds.Select(id => _app.Tasks.GetAsync(id, CancellationToken.None)));
        Assert.Single(tasks, t => t!.State == TaskState.Succeeded && t.NodeId == nodeId); // it reported its task before leaving
        Assert.Contains("Deregistered node", once.Output);
        Assert.Null(_app.Agents.Get(nodeId));
        var listed = await _app.GetJsonAsync<JsonElement>("/api/agents");
        Assert.DoesNotContain(listed.EnumerateArray(), a => a.GetProperty("nodeId").GetString() == nodeId);
        var nodes = _app.Services.GetRequiredService<NodeStore>();
        Assert.Null(await nodes.GetAsync(nodeId, CancellationToken.None));
        Assert.DoesNotContain(await nodes.ListAsync(CancellationToken.None), n => n.NodeId == nodeId);
        Assert.Null(await _app.Services.GetRequiredService<AgentCredentialStore>().GetAsync(nodeId, CancellationToken.None));
    }

    [Fact]
    public async Task OnceAgentWithNothingToDo_ExitsAfterIdleExit_WithCode3()
    {
        var agent = Start("idle-box", "--once", "--idle-exit", "2s");
        await _app.WaitForOnlineAsync(agent, Timeouts.Long);

        await agent.WaitForExitAsync(Timeouts.Long);

        Assert.True(agent.ExitCode == 3, agent.Output);
        Assert.Contains("--idle-exit", agent.Output);
        await _app.WaitForAgentsAsync(r => r.All.Single(n => n.Name == "idle-box").ConnectionId is null, Timeouts.Short, "the idle agent to disconnect");
    }

    [Fact]
    public async Task IdleExit_WaitsWhileATaskRuns_AndCountsFromItsEnd()
    {
        var agent = Start("idle-worker", "--idle-exit", "10s");
        await _app.WaitForOnlineAsync(agent, Timeouts.Long);
        var delivery = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var taskIds = JsonDocument.Parse(await delivery.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()!).ToList();

        foreach (var id in taskIds) await _app.WaitForTaskAsync(id, t => t.State == TaskState.Succeeded, Timeouts.Long, "the task to run before the idle exit");
        await agent.WaitForExitAsync(Timeouts.Long);

        Assert.True(agent.ExitCode == 0, agent.Output);
    }
}
