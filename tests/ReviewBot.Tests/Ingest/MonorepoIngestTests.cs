using System.Net;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Ingest;

/// <summary>
/// Path scoping and module fan-out on real parts: a real bare git repository holding three Go modules, the app on
/// Azurite reading its changes with git (LocalGitReader), and a real agent running a linter in each module's directory.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MonorepoIngestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;

    // A "linter" that reports every file it is given, as it is given it, in gcc form: what a module's run is handed
    // (paths relative to its module) and how its findings come back (repository paths) are then visible.
    private const string Linter = """["sh", "-c", "for f in \"$@\"; do echo \"$f:1:1: warning: seen [seen]\"; done", "sh"]""";

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string>
            {
                ["svc/a/go.mod"] = "module a\n", ["svc/a/main.go"] = "package main\n",
                ["svc/b/go.mod"] = "module b\n", ["svc/b/main.go"] = "package main\n",
                ["lib/go.mod"] = "module lib\n", ["lib/util.go"] = "package lib\n",
                ["README.md"] = "# mono\n",
            },
            new Dictionary<string, string?>
            {
                ["svc/a/main.go"] = "package main\n\nfunc main() {}\n",
                ["svc/a/main_test.go"] = "package main\n",
                ["lib/util.go"] = "package lib\n\nfunc Util() {}\n",
                ["README.md"] = "# mono, changed\n",
            });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<TestApp> App(string linters)
    {
        var app = await TestApp.StartAsync(azurite, $"linters:\n{linters}");
        _owned.Add(app);
        return app;
    }

    private async Task<IReadOnlyList<ReviewTask>> Deliver(TestApp app)
    {
        var response = await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, body);
        var ids = JsonDocument.Parse(body).RootElement.TryGetProperty("tasks", out var tasks) ? tasks.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        var list = new List<ReviewTask>();
        foreach (var id in ids) list.Add((await app.Tasks.GetAsync(id, default))!);
        return [.. list.OrderBy(t => t.Linter.Name, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task ThreeGoModules_TwoChanged_GiveTwoTasks_InTheirModules_WithFindingsAtRepositoryPaths()
    {
        var app = await App($$"""
              golint:
                languages: [".go"]
                command: {{Linter}}
                args: ["{files}"]
                format: gcc
                modules: auto
                ignore: ["*_test.go"]
                timeout: 1m
            """);
        var agent = AgentProcess.Start(app.Url, "go-box", ["linux"]);
        _owned.Add(agent);

        var tasks = await Deliver(app);

        Assert.Equal(["golint (lib)", "golint (svc/a)"], tasks.Select(t => t.Linter.Name));
        Assert.Equal(["lib", "svc/a"], tasks.Select(t => t.Linter.WorkDir));
        Assert.Equal(["lib", "svc/a"], tasks.Select(t => t.Linter.Scope!.Module));

        await app.WaitForOnlineAsync(agent, Timeouts.Long);
        foreach (var (task, file) in tasks.Zip(new[] { "lib/util.go", "svc/a/main.go" }))
        {
            var done = await app.WaitForTaskAsync(task.Id, t => t.State.IsTerminal(), Timeouts.Long, $"{task.Linter.Name} to end");
            Assert.Equal(TaskState.Failed, done.State);
            var details = await app.GetJsonAsync<JsonElement>($"/api/tasks/{task.Id}");
            // One finding: the module's changed Go file, not the ignored test file, named from the repository root.
            var finding = Assert.Single(details.GetProperty("findings").EnumerateArray());
            Assert.Equal(file, finding.GetProperty("file").GetString());
        }
    }

    [Fact]
    public async Task ListedModules_AndPaths_DecideWhichLintersGetATask()
    {
        var app = await App($$"""
              golint:
                languages: [".go"]
                command: {{Linter}}
                modules: [svc/a, svc/b]
              docs:
                command: {{Linter}}
                paths: ["*.md", "!README.md"]
              libcheck:
                command: {{Linter}}
                paths: ["/lib/"]
              plain:
                languages: [".rs"]
                command: {{Linter}}
            """);

        var tasks = await Deliver(app);

        // golint: svc/b has no change, lib is not listed; docs: only README.md changed, which it excludes; plain has no
        // paths, so it gets its task as before (the agent skips it).
        Assert.Equal(["golint (svc/a)", "libcheck", "plain"], tasks.Select(t => t.Linter.Name));
        Assert.Null(tasks.Single(t => t.Linter.Name == "plain").Linter.Scope);
        Assert.Equal(["/lib/"], tasks.Single(t => t.Linter.Name == "libcheck").Linter.Scope!.Paths);
    }
}
