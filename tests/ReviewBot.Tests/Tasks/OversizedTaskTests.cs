using System.Net;
using System.Text.Json;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Tasks;

/// <summary>Security review D2 end to end: a task whose row cannot grow (stored by an older version a few characters
/// under the limit) must not wedge routing, keep an agent's slot, or resist abort and the queue timeout; and what an
/// agent sends is cut to size on arrival.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OversizedTaskTests(AzuriteFixture azurite) : IAsyncLifetime
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

    private StorageAccount Account => _app.Services.GetRequiredService<StorageAccount>();

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

    [Fact]
    public async Task ALegacyOversizedTask_DoesNotWedgeRouting_NorKeepTheAgentsSlot()
    {
        var poison = await LegacyRows.InsertAsync(Account.Tasks, LegacyRows.Task("poison-1", DateTimeOffset.UtcNow.AddSeconds(-30)));
        _app.Services.GetRequiredService<TaskDispatcher>().Enqueue(poison);
        var id = await DeliverAsync();

        var agent = await ConnectAsync("node-a", "linux");
        var assignment = await agent.NextAssignmentAsync();

        Assert.Equal(id, assignment.TaskId);
        Assert.Equal([id], _app.Agents.Get("node-a")!.Tasks.Keys);
        var failed = await _app.WaitForTaskAsync(poison.Id, t => t.State.IsTerminal(), Timeouts.Short, "the oversized task to fail");
        Assert.Equal(TaskState.Errored, failed.State);
        Assert.Contains("too large", failed.Error);
    }

    [Fact]
    public async Task ALegacyOversizedTask_TimesOutInTheQueue()
    {
        var poison = await LegacyRows.InsertAsync(Account.Tasks, LegacyRows.Task("poison-2", DateTimeOffset.UtcNow.AddHours(-1), nodeLabels: "gpu"));

        _app.Services.GetRequiredService<TaskDispatcher>().Enqueue(poison);

        var failed = await _app.WaitForTaskAsync(poison.Id, t => t.State.IsTerminal(), Timeouts.Short, "the queue timeout");
        Assert.Equal(TaskState.Errored, failed.State);
        Assert.Contains("not placed within", failed.Error);
    }

    [Fact]
    public async Task AbortOfALegacyOversizedTask_Is202AndCancelsIt()
    {
        var poison = await LegacyRows.InsertAsync(Account.Tasks, LegacyRows.Task("poison-3", DateTimeOffset.UtcNow));

        var response = await _app.Http.PostAsync($"/api/tasks/{poison.Id}/abort", null);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        Assert.Equal(TaskState.Cancelled, (await _app.Tasks.GetAsync(poison.Id, default))!.State);
    }

    [Fact]
    public async Task ALostAgentsLegacyOversizedTask_IsErrored_AndItsOtherTasksAreRequeued()
    {
        var now = DateTimeOffset.UtcNow;
        var poison = await LegacyRows.InsertAsync(Account.Tasks, LegacyRows.Task("poison-4", now) with { State = TaskState.Running, NodeId = "node-lost", LeaseToken = "lease-1" });
        var other = LegacyRows.Task("other-4", now) with { State = TaskState.Running, NodeId = "node-lost", LeaseToken = "lease-2", HeadRef = "feature" };
        Assert.NotNull(await _app.Tasks.TryCreateAsync(other, default));

        await _app.Services.GetRequiredService<TaskCoordinator>().RequeueLostAsync("node-lost",
            [new(poison.Id, "lease-1"), new(other.Id, "lease-2")], "node-lost went offline", default);

        Assert.Equal(TaskState.Errored, (await _app.Tasks.GetAsync(poison.Id, default))!.State);
        Assert.Equal(TaskState.Queued, (await _app.Tasks.GetAsync(other.Id, default))!.State);
    }

    [Fact]
    public async Task AnAgentsOversizedResult_IsAcceptedAndCutOnArrival()
    {
        var agent = await ConnectAsync("node-b", "linux");
        var id = await DeliverAsync();
        var a = await agent.NextAssignmentAsync();
        Assert.True((await agent.AcceptAsync(a)).Accepted);
        // Well under the hub's 4 MiB message, far over what is kept.
        var error = "linter crashed: " + new string('e', 200_000);
        var findings = Enumerable.Range(0, 10_500).Select(i => new Finding("a.sh", i + 1, null, null, Severity.Warning, i == 0 ? new string('r', 5000) : "R", "m")).ToList();
        var unexpected = Enumerable.Range(0, 50_000).Select(i => $"noise {i}").ToList();
        var result = new TaskResult("node-b", a.TaskId, a.LeaseToken, TaskOutcome.Failed, 1, findings, unexpected, ["a.sh"], error, TimeSpan.MaxValue)
        {
            ResolvedSha = new string('f', 10_000),
        };

        var ack = await agent.CompleteAsync(result);

        Assert.True(ack.Accepted, ack.Reason);
        var details = await _app.GetJsonAsync<JsonElement>($"/api/tasks/{id}");
        Assert.Equal("failed", details.GetProperty("state").GetString());
        Assert.StartsWith("linter crashed: eee", details.GetProperty("error").GetString());
        Assert.True(details.GetProperty("error").GetString()!.Length <= FieldLimits.AgentError);
        Assert.All(details.GetProperty("history").EnumerateArray(), h => Assert.True(h.GetProperty("note").GetString()!.Length <= FieldLimits.Note));
        Assert.Equal(FieldLimits.Findings, details.GetProperty("findings").GetArrayLength());
        Assert.True(details.GetProperty("findings")[0].GetProperty("rule").GetString()!.Length <= FieldLimits.Name);
        var lines = details.GetProperty("unexpected").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(FieldLimits.UnexpectedLines + 1, lines.Count);
        Assert.Contains($"{50_000 - FieldLimits.UnexpectedLines} more", lines[^1]);
        Assert.Equal(_repo.HeadSha, details.GetProperty("headSha").GetString());
    }
}
