using System.Net;
using System.Text.Json;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab.Contents;

/// <summary>
/// A GitLab project's .reviewbot.yml read through the fake GitLab's repository files API at the merge request's base
/// commit, on the app with Azurite: a valid file applies; a refused one fails the <c>reviewbot/config</c> commit status
/// with file:line:col while the server's configuration applies, once per head commit.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitLabRepositoryConfigTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long Project = 42;
    private const int Iid = 5;
    private const string Server = """
        linters:
          lint-a: { command: ["true"] }
          lint-b: { command: ["true"] }
        """;

    private GitRepo _repo = null!;
    private FakeGitLabServer _gitlab = null!;
    private FakeMergeRequest _mr = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo a\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo b\n" });
        _gitlab = await FakeGitLabServer.StartAsync();
        _mr = _gitlab.AddMergeRequest(Project, Iid);
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha, _repo.Diff());
        _app = await TestApp.StartAsync(azurite, Server, GitLabDeliveries.Settings(_gitlab.Url, FakeGitLabServer.Token));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _gitlab.DisposeAsync();
        _repo.Dispose();
    }

    /// <summary>A merge request hook whose clone URL is on the GitLab host (so GitLab's API, not git, is read).</summary>
    private async Task<IReadOnlyList<string>> DeliverAsync(string? headSha = null)
    {
        var hook = GitLabDeliveries.MergeRequest(_repo, projectId: Project, iid: Iid, headSha: headSha,
            edit: j => j["object_attributes"]!["source"]!["git_http_url"] = "https://127.0.0.1/group/project.git");
        var response = await GitLabDeliveries.PostAsync(_app, hook);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var names = new List<string>();
        foreach (var id in JsonDocument.Parse(body).RootElement.GetProperty("tasks").EnumerateArray())
            names.Add((await _app.Tasks.GetAsync(id.GetString()!, default))!.Linter.Name);
        return [.. names.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task TheFileAtTheBaseCommit_Applies()
    {
        _gitlab.SetFile(Project, _repo.BaseSha, ".reviewbot.yml", "linters:\n  lint-b: { enable: false }\n");
        _gitlab.SetFile(Project, _repo.HeadSha, ".reviewbot.yml", "linters:\n  lint-a: { enable: false }\n");

        Assert.Equal(["lint-a"], await DeliverAsync());
        Assert.Contains(_gitlab.Requests, r => r.PathAndQuery == $"/api/v4/projects/{Project}/repository/files/.reviewbot.yml/raw?ref={_repo.BaseSha}");
        Assert.DoesNotContain(_gitlab.Statuses, s => s.Name == "reviewbot/config");
    }

    [Fact]
    public async Task ARefusedFile_FailsTheConfigStatusWithFileLineAndColumn_TheServersConfigurationApplies_OncePerHead()
    {
        _gitlab.SetFile(Project, _repo.BaseSha, ".reviewbot.yml", "linters:\n  lint-b: { enable: false, command: [curl] }\n");

        Assert.Equal(["lint-a", "lint-b"], await DeliverAsync());

        var status = Assert.Single(_gitlab.Statuses, s => s.Name == "reviewbot/config");
        Assert.Equal(("failed", _repo.HeadSha), (status.State, status.Sha));
        Assert.StartsWith(".reviewbot.yml:2:28: linters.lint-b.command:", status.Description);

        // The same head delivered again: no second post (GitLab would refuse it: the status is failed already).
        Assert.Equal(["lint-a", "lint-b"], await DeliverAsync());
        Assert.Single(_gitlab.Requests, r => r.Method == "POST" && r.PathAndQuery.Contains($"/statuses/{_repo.HeadSha}") && r.Body.Contains("reviewbot/config"));

        // A second push on the same base: its head gets the failed status too.
        var head = _repo.Push(new Dictionary<string, string?> { ["a.sh"] = "echo c\n" });
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, head, _repo.Diff());
        Assert.Equal(["lint-a", "lint-b"], await DeliverAsync(head));
        Assert.Equal([status.Sha, head], _gitlab.Statuses.Where(s => s.Name == "reviewbot/config").Select(s => s.Sha));
    }
}
