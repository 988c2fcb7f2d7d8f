using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Contents;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab.Contents;

/// <summary>
/// <c>modules: auto</c> on GitLab, on the app with Azurite: the merge request's changed files come from its diffs and
/// the head commit's files from the repository tree API, page by page, through the fake GitLab (trees listed with
/// real git from a real repository holding three Go modules, two of them changed).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitLabMonorepoTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long Project = 77;
    private const int Iid = 9;
    private const string Server = """
        linters:
          golint:
            languages: [".go"]
            command: ["true"]
            modules: auto
            ignore: ["*_test.go"]
        """;

    private readonly LogCapture _logs = new();
    private GitRepo _repo = null!;
    private FakeGitLabServer _gitlab = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
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
        _gitlab = await FakeGitLabServer.StartAsync();
        // Pages of 4: the tree's 12 entries (4 directories, 8 files) take three pages.
        _gitlab.MaxPerPage = 4;
        _gitlab.AddMergeRequest(Project, Iid).SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha, _repo.Diff());
        _gitlab.SetTree(Project, _repo.HeadSha, GitRepo.Git(_repo.BarePath, "ls-tree", "-r", "--name-only", _repo.HeadSha)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        _app = await TestApp.StartAsync(azurite, Server, GitLabDeliveries.Settings(_gitlab.Url, FakeGitLabServer.Token), configure: b => b.Logging.AddProvider(_logs));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _gitlab.DisposeAsync();
        _repo.Dispose();
    }

    /// <summary>A merge request hook whose clone URL is on the GitLab host (so GitLab's API, not git, is read).</summary>
    private async Task<IReadOnlyList<ReviewTask>> DeliverAsync()
    {
        var hook = GitLabDeliveries.MergeRequest(_repo, projectId: Project, iid: Iid,
            edit: j => j["object_attributes"]!["source"]!["git_http_url"] = "https://127.0.0.1/group/sub/mono.git");
        var response = await GitLabDeliveries.PostAsync(_app, hook);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var tasks = new List<ReviewTask>();
        foreach (var id in JsonDocument.Parse(body).RootElement.GetProperty("tasks").EnumerateArray())
            tasks.Add((await _app.Tasks.GetAsync(id.GetString()!, default))!);
        return [.. tasks.OrderBy(t => t.Linter.Name, StringComparer.Ordinal)];
    }

    private IReadOnlyList<string> TreeRequests() =>
        [.. _gitlab.Requests.Select(r => r.PathAndQuery).Where(p => p.StartsWith($"/api/v4/projects/{Project}/repository/tree?", StringComparison.Ordinal))];

    [Fact]
    public async Task ThreeGoModules_TwoChanged_GiveTwoTasks_InTheirModules_FromTheTreeReadAcrossKeysetPages()
    {
        var tasks = await DeliverAsync();

        Assert.Equal(["golint (lib)", "golint (svc/a)"], tasks.Select(t => t.Linter.Name));
        Assert.Equal(["lib", "svc/a"], tasks.Select(t => t.Linter.WorkDir));
        Assert.Equal(["lib", "svc/a"], tasks.Select(t => t.Linter.Scope!.Module));
        Assert.All(tasks, t => Assert.Equal(["*_test.go"], t.Linter.Scope!.Ignore));

        // The head commit's tree, keyset-paginated: the first request, then two more named by Link's page_token.
        var reads = TreeRequests();
        Assert.Equal(3, reads.Count);
        Assert.All(reads, r => Assert.Contains($"ref={_repo.HeadSha}", r));
        Assert.All(reads, r => Assert.Contains("recursive=true", r));
        Assert.All(reads, r => Assert.Contains("pagination=keyset", r));
        Assert.DoesNotContain("page_token=", reads[0]);
        Assert.All(reads.Skip(1), r => Assert.Contains("page_token=", r));
    }

    [Fact]
    public async Task AServerAnsweringWithPageNumbers_IsReadByPageNumber()
    {
        _gitlab.TreeIgnoresKeyset = true;

        var tasks = await DeliverAsync();

        Assert.Equal(["golint (lib)", "golint (svc/a)"], tasks.Select(t => t.Linter.Name));
        var reads = TreeRequests();
        Assert.Equal(3, reads.Count);
        Assert.Contains("&page=3&", reads[^1]);
    }

    [Fact]
    public async Task ATreeOfUnknownCommit_GivesOneTaskForTheWholeRepository()
    {
        _gitlab.SetTree(Project, _repo.HeadSha, null);

        var task = Assert.Single(await DeliverAsync());

        // "Cannot tell" which modules there are: one task, the agent applies the ignore globs; no module of its own.
        Assert.Equal("golint", task.Linter.Name);
        Assert.Null(task.Linter.Scope!.Module);
        Assert.Single(TreeRequests());
    }

    [Fact]
    public async Task ATreeLargerThanTheCap_IsNotReadToItsEnd_AndGivesOneTaskForTheWholeRepository()
    {
        _gitlab.MaxPerPage = 100;
        _gitlab.SetTree(Project, _repo.HeadSha, Enumerable.Range(0, GitLabRepositoryReader.MaxTreeEntries).Select(i => $"gen/f{i:D5}.txt").Append("svc/a/go.mod").Append("lib/go.mod"));

        var task = Assert.Single(await DeliverAsync());

        Assert.Equal("golint", task.Linter.Name);
        Assert.Null(task.Linter.Scope!.Module);
        // It stops at the first page past the cap: 20,000 entries are 200 pages, the 201st is the last read.
        Assert.Equal(GitLabRepositoryReader.MaxTreeEntries / 100 + 1, TreeRequests().Count);
        Assert.Contains(_logs.Lines, l => l.Contains($"more than {GitLabRepositoryReader.MaxTreeEntries} entries", StringComparison.Ordinal));
    }
}
