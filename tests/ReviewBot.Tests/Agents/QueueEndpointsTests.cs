using System.Net;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Agents;

/// <summary>
/// <c>GET /api/queue</c> and <c>/api/queue/metrics</c> with real agents of different labels: queued tasks grouped by
/// their label filter, the online agents that match each with their free capacity, and the number an autoscaler
/// (KEDA's metrics-api scaler) reads, for a filter or for an agent's labels.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueEndpointsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Config = """
        linters:
          gpu-one:
            languages: [".sh"]
            command: ["sh", "-c", "echo started; sleep 60", "gpu"]
            args: ["{files}"]
            format: gcc
            nodeLabels: "gpu"
          gpu-two:
            languages: [".sh"]
            command: ["sh", "-c", "echo started; sleep 60", "gpu"]
            args: ["{files}"]
            format: gcc
            nodeLabels: "gpu"
          win:
            languages: [".sh"]
            command: ["cmd", "/c", "echo"]
            args: ["{files}"]
            format: gcc
            nodeLabels: "windows"
        """;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly GitRepo _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, Config);

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private AgentProcess Start(string name, params string[] labels)
    {
        var agent = AgentProcess.Start(_app.Url, name, labels);
        _owned.Add(agent);
        return agent;
    }

    [Fact]
    public async Task Queue_GroupsQueuedTasksByFilter_WithMatchingOnlineAgentsAndFreeCapacity_AndTheMetricCountsTasksNeedingANewAgent()
    {
        var gpu = Start("gpu-box", "gpu");
        var linux = Start("linux-box", "linux");
        await _app.WaitForOnlineAsync(gpu, Timeouts.Long);
        await _app.WaitForOnlineAsync(linux, Timeouts.Long);
        var delivery = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var taskIds = JsonDocument.Parse(await delivery.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(3, taskIds.Count);
        // One gpu task runs on gpu-box (capacity 1); the other gpu task and the windows task wait.
        await _app.WaitForAgentsAsync(r => r.All.Single(n => n.Name == "gpu-box").Tasks.Count == 1, Timeouts.Long, "gpu-box to take a gpu task");
        foreach (var id in taskIds)
            await _app.WaitForTaskAsync(id, t => t.State is TaskState.Running or TaskState.Queued, Timeouts.Long, "the tasks to settle");

        var queue = await _app.GetJsonAsync<JsonElement>("/api/queue");

        Assert.Equal(2, queue.GetProperty("queued").GetInt32());
        Assert.Equal(2, queue.GetProperty("needNewAgents").GetInt32());
        var groups = queue.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("filter").GetString()!);
        Assert.Equal(["gpu", "windows"], groups.Keys.Order());
        Assert.Equal((1, 1, 0, 1), Counts(groups["gpu"]));      // queued, online agents, free capacity, need new agents
        Assert.Equal((1, 0, 0, 1), Counts(groups["windows"]));

        Assert.Equal(1, await NeedAsync("filter=gpu"));
        Assert.Equal(1, await NeedAsync("labels=windows,x64"));
        Assert.Equal(0, await NeedAsync("labels=linux"));     // linux-box is free, but no queued task wants it
        Assert.Equal(2, await NeedAsync(""));
        Assert.Equal(0, await NeedAsync("filter=" + Uri.EscapeDataString("linux && docker")));

        using var reader = _app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/api/queue")).StatusCode);
        reader.DefaultRequestHeaders.Authorization = new("Bearer", TestApp.ReadKey);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/queue/metrics?filter=gpu")).StatusCode);
        var bad = await reader.GetAsync("/api/queue/metrics?filter=" + Uri.EscapeDataString("gpu &&"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Contains("filter", await bad.Content.ReadAsStringAsync());
    }

    private static (int, int, int, int) Counts(JsonElement g) =>
        (g.GetProperty("queued").GetInt32(), g.GetProperty("onlineAgents").GetInt32(), g.GetProperty("freeCapacity").GetInt32(), g.GetProperty("needNewAgents").GetInt32());

    private async Task<int> NeedAsync(string query) =>
        (await _app.GetJsonAsync<JsonElement>("/api/queue/metrics?" + query)).GetProperty("needNewAgents").GetInt32();
}
