using System.Net;
using System.Text;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Jobs;

/// <summary>
/// A job defined in a repository's .reviewbot.yml, read with git at the default branch of a real repository when its
/// pull request is merged, run by a real agent process; and refused where the server's policy does not allow commands.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RepositoryJobsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string RepositoryFile = """
        jobs:
          after-merge:
            trigger: { prMerged: { target: "^main$" } }
            steps: ["test -f a.sh && echo merged-ok"]
        """;

    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["a.sh"] = "echo a\n", [".reviewbot.yml"] = RepositoryFile },
            new Dictionary<string, string?> { ["a.sh"] = "echo b\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<TestApp> App(bool allowRepoCommands)
    {
        var app = await TestApp.StartAsync(azurite,
            $"linters:\n  lint: {{ command: [\"true\"] }}\nrepos:\n  Codertocat: {{ allowRepoCommands: {(allowRepoCommands ? "true" : "false")} }}\n");
        _owned.Add(app);
        return app;
    }

    /// <summary>pull_request closed and merged into main of the test repository, its merge commit the base commit.</summary>
    private async Task<List<string>> MergeAsync(TestApp app)
    {
        var json = Deliveries.Load("pull_request.closed.merged");
        json["repository"]!["full_name"] = "Codertocat/Hello-World";
        json["repository"]!["clone_url"] = _repo.CloneUrl;
        json["repository"]!["default_branch"] = "main";
        json["pull_request"]!["merge_commit_sha"] = _repo.BaseSha;
        json["pull_request"]!["base"]!["ref"] = "main";
        json["pull_request"]!["head"]!["ref"] = "feature";
        var response = await app.PostDeliveryAsync("pull_request", Encoding.UTF8.GetBytes(json.ToJsonString()));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!)];
    }

    [Fact]
    public async Task AJobOfTheRepositoryFile_RunsOnMerge_OnAnAgent()
    {
        var app = await App(allowRepoCommands: true);
        var agent = AgentProcess.Start(app.Url, "repo-job-agent", ["linux"]);
        _owned.Add(agent);
        await app.WaitForOnlineAsync(agent, Timeouts.Long);

        var id = Assert.Single(await MergeAsync(app));

        var done = await app.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Long, "the repository job's run to end");
        Assert.Equal(TaskState.Succeeded, done.State);
        Assert.Equal("after-merge", done.JobName);
        Assert.Equal(_repo.BaseSha, done.HeadSha);
        Assert.Contains("pull_request merged", done.Trigger);
    }

    [Fact]
    public async Task WhereThePolicyDoesNotAllowCommands_TheRepositorysJobIsNotRun()
    {
        var app = await App(allowRepoCommands: false);

        Assert.Empty(await MergeAsync(app));
    }
}
