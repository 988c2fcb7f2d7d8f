using System.Net;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Integration;

/// <summary>
/// The spine end to end on real parts: Azurite, the app on Kestrel with its in-process hub, real agent processes,
/// a local bare git repository and the real shellcheck.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PullRequestFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["scripts/build.sh"] = "#!/bin/sh\necho \"building\"\n", ["README.md"] = "# demo\n" },
            new Dictionary<string, string?> { ["scripts/build.sh"] = "#!/bin/sh\necho \"building\"\nrm -rf $1/out\n", ["scripts/new.sh"] = "#!/bin/sh\nfor f in $(ls *.txt); do echo $f; done\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<TestApp> App(string config)
    {
        var app = await TestApp.StartAsync(azurite, config);
        _owned.Add(app);
        return app;
    }

    private AgentProcess Agent(TestApp app, string name, string[] labels, int capacity = 1, bool exclusive = false)
    {
        var agent = AgentProcess.Start(app.Url, name, labels, capacity, exclusive);
        _owned.Add(agent);
        _agents[name] = agent;
        return agent;
    }

    private readonly Dictionary<string, AgentProcess> _agents = [];

    private Task Online(TestApp app, string name) => app.WaitForOnlineAsync(_agents[name], Timeouts.Long);

    private async Task<IReadOnlyList<string>> Deliver(TestApp app)
    {
        var response = await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return [.. answer.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!)];
    }

    private static bool Ended(ReviewTask t) => t.State.IsTerminal();

    [Fact]
    public async Task SignedDelivery_RunsShellcheckOnTheLinuxAgent_AndStoresItsFindings()
    {
        var app = await App(Configs.ShellcheckOnLinux);
        Agent(app, "win-box", ["windows"]);
        Agent(app, "linux-box", ["linux", "docker"]);
        await Online(app, "win-box");
        await Online(app, "linux-box");

        var ids = await Deliver(app);
        var shellcheck = ids.Single(id => app.Tasks.GetAsync(id, default).Result!.Linter.Name == "shellcheck");
        var done = await app.WaitForTaskAsync(shellcheck, Ended, Timeouts.Long, "shellcheck task to end");

        Assert.Equal(TaskState.Failed, done.State);
        Assert.Equal("linux-box", done.NodeName);
        var details = await app.GetJsonAsync<JsonElement>($"/api/tasks/{shellcheck}");
        var findings = details.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("file").GetString() == "scripts/build.sh" && f.GetProperty("line").GetInt32() == 3 && f.GetProperty("rule").GetString() == "SC2086");
        Assert.Contains(findings, f => f.GetProperty("file").GetString() == "scripts/new.sh" && f.GetProperty("rule").GetString() == "SC2045");
        Assert.Equal(["scripts/build.sh", "scripts/new.sh"], details.GetProperty("changedFiles").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal("failed", details.GetProperty("state").GetString());
    }

    [Fact]
    public async Task LinterWithoutChangedFilesOfItsLanguage_EndsSkipped()
    {
        var app = await App(Configs.ShellcheckOnLinux);
        Agent(app, "any-box", ["linux"]);
        await Online(app, "any-box");

        var ids = await Deliver(app);
        var todo = ids.Single(id => app.Tasks.GetAsync(id, default).Result!.Linter.Name == "todo-check");
        var done = await app.WaitForTaskAsync(todo, Ended, Timeouts.Long, "todo-check task to end");

        Assert.Equal(TaskState.Skipped, done.State);
    }

    [Fact]
    public async Task UnfilteredTask_PrefersTheAgentWithoutLabels()
    {
        var app = await App(Configs.Single("lint", "\".sh\"", "[\"shellcheck\", \"-f\", \"gcc\"]"));
        Agent(app, "gpu-box", ["linux", "gpu"]);
        Agent(app, "plain-box", []);
        await Online(app, "gpu-box");
        await Online(app, "plain-box");

        var id = (await Deliver(app)).Single();
        var done = await app.WaitForTaskAsync(id, Ended, Timeouts.Long, "task to end");

        Assert.Equal("plain-box", done.NodeName);
    }

    [Fact]
    public async Task TaskNobodyMatches_WaitsWithTheReason_AndRunsWhenAMatchingAgentConnects()
    {
        var app = await App(Configs.Single("lint", "\".sh\"", "[\"shellcheck\", \"-f\", \"gcc\"]", nodeLabels: "gpu"));
        Agent(app, "cpu-box", ["linux"]);
        await Online(app, "cpu-box");

        var id = (await Deliver(app)).Single();
        var waiting = await app.WaitForTaskAsync(id, t => t.PlacementReason is not null, Timeouts.Short, "a wait reason");
        Assert.Equal(TaskState.Queued, waiting.State);
        Assert.Contains("gpu", waiting.PlacementReason);
        Assert.Contains("1", waiting.PlacementReason);

        Agent(app, "gpu-box", ["linux", "gpu"]);
        var done = await app.WaitForTaskAsync(id, Ended, Timeouts.Long, "task to run on the gpu agent");
        Assert.Equal("gpu-box", done.NodeName);
        Assert.Equal(TaskState.Failed, done.State);
    }

    [Fact]
    public async Task AgentKilledMidTask_TaskFinishesOnAnotherAgent()
    {
        var app = await App(Configs.Single("slow", "\".sh\"", "[\"sh\", \"-c\", \"sleep 4; echo scripts/new.sh:2:1: warning: slow finding\", \"slow\"]", nodeLabels: "linux"));
        var first = Agent(app, "doomed", ["linux"]);
        await Online(app, "doomed");
        var id = (await Deliver(app)).Single();
        await app.WaitForTaskAsync(id, t => t.State == TaskState.Running && t.NodeName == "doomed", Timeouts.Long, "task running on the first agent");

        first.Kill();
        Agent(app, "survivor", ["linux"]);
        var done = await app.WaitForTaskAsync(id, Ended, Timeouts.Long, "task to finish on the second agent");

        Assert.Equal("survivor", done.NodeName);
        Assert.Equal(2, done.Attempt);
        Assert.Equal(TaskState.Failed, done.State);
        Assert.Equal(1, done.FindingCount);
        Assert.Contains(done.History, e => e.State == TaskState.Queued && e.Note.Contains("doomed"));
    }

    [Fact]
    public async Task FrozenAgentThatComesBack_IsStoppedAndItsLateWorkDoesNotCount()
    {
        var app = await App(Configs.Single("slow", "\".sh\"", "[\"sh\", \"-c\", \"echo linter-started; sleep 6; echo scripts/new.sh:2:1: warning: slow finding\", \"slow\"]", nodeLabels: "linux"));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<LiveLogs>().Appended += (_, text) => { if (text.Contains("linter-started")) started.TrySetResult(); };
        var zombie = Agent(app, "zombie", ["linux"]);
        await Online(app, "zombie");
        var coordinator = app.Services.GetRequiredService<TaskCoordinator>();
        // Whichever the zombie does first when it wakes up: report its result (refused: the lease is gone) or
        // heartbeat and register again (told to cancel the task). Either way its work must not count.
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        coordinator.ResultRefused += id => refused.TrySetResult(id);
        coordinator.StaleTaskCancelled += id => refused.TrySetResult(id);
        var id = (await Deliver(app)).Single();
        await app.WaitForTaskAsync(id, t => t.State == TaskState.Running && t.NodeName == "zombie", Timeouts.Long, "task running on the first agent");
        await started.Task.WithTimeout(Timeouts.Long, "the linter to start on the first agent");

        Signals.Stop(zombie.Pid); // frozen: no heartbeats, but its linter keeps running
        Agent(app, "healthy", ["linux"]);
        await app.WaitForTaskAsync(id, t => t.State == TaskState.Running && t.NodeName == "healthy", Timeouts.Long, "task reassigned to the healthy agent");
        Signals.Continue(zombie.Pid);

        string refusedId;
        try { refusedId = await refused.Task.WithTimeout(Timeouts.Long, "the zombie's late work to be refused"); }
        catch (TimeoutException e) { throw new TimeoutException(e.Message + "\nZombie output:\n" + zombie.Output); }
        var done = await app.WaitForTaskAsync(id, Ended, Timeouts.Long, "task to end on the healthy agent");
        Assert.Equal(id, refusedId);
        Assert.Equal("healthy", done.NodeName);
        Assert.Equal(TaskState.Failed, done.State);
    }

    [Fact]
    public async Task SigtermDrainsTheAgent_ItFinishesItsTaskTakesNoNewOneAndExitsCleanly()
    {
        var app = await App(Configs.Single("slow", "\".sh\"", "[\"sh\", \"-c\", \"echo linter-started; sleep 3; echo scripts/new.sh:2:1: warning: slow finding\", \"slow\"]", nodeLabels: "linux"));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<LiveLogs>().Appended += (_, text) => { if (text.Contains("linter-started")) started.TrySetResult(); };
        var agent = Agent(app, "drainer", ["linux"], capacity: 2);
        await Online(app, "drainer");
        var first = (await Deliver(app)).Single();
        await started.Task.WithTimeout(Timeouts.Long, "the linter to start");

        agent.Terminate();
        await app.WaitForAgentsAsync(r => r.All.Any(n => n.Name == "drainer" && n.Draining), Timeouts.Short, "the agent to report draining");
        var response = await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo, number: 3));
        var second = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
        var waiting = await app.WaitForTaskAsync(second, t => t.PlacementReason is not null, Timeouts.Short, "the second task to wait");
        var done = await app.WaitForTaskAsync(first, Ended, Timeouts.Long, "the running task to finish");
        await agent.WaitForExitAsync(Timeouts.Long);

        Assert.Equal(TaskState.Failed, done.State);
        Assert.Equal(1, done.FindingCount);
        Assert.Equal(TaskState.Queued, waiting.State);
        Assert.Contains("draining", waiting.PlacementReason);
        Assert.Equal(0, agent.ExitCode);
    }

    [Fact]
    public async Task NewPushToThePullRequest_CancelsTheRunningTaskOfTheOlderRevision_AndRunsTheNewOne()
    {
        var app = await App(Configs.Single("slow", "\".sh\"", "[\"sh\", \"-c\", \"echo linter-started; sleep 30\", \"slow\"]", nodeLabels: "linux"));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<LiveLogs>().Appended += (_, text) => { if (text.Contains("linter-started")) started.TrySetResult(); };
        Agent(app, "runner", ["linux"]);
        await Online(app, "runner");
        var old = (await Deliver(app)).Single();
        await started.Task.WithTimeout(Timeouts.Long, "the linter to start");

        _repo.Push(new Dictionary<string, string?> { ["scripts/new.sh"] = "#!/bin/sh\necho fixed\n" });
        var response = await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo, fixture: "pull_request.synchronize"));
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var fresh = answer.GetProperty("tasks")[0].GetString()!;

        var cancelled = await app.WaitForTaskAsync(old, Ended, Timeouts.Short, "the older revision's task to be cancelled");
        Assert.Equal(TaskState.Cancelled, cancelled.State);
        Assert.Contains("superseded", cancelled.Error);
        Assert.Contains("cancelled", answer.GetProperty("message").GetString());
        var running = await app.WaitForTaskAsync(fresh, t => t.State == TaskState.Running, Timeouts.Long, "the new revision's task to run on the freed agent");
        Assert.Equal("runner", running.NodeName);
        Assert.Equal(_repo.HeadSha, running.HeadSha);
    }
}
