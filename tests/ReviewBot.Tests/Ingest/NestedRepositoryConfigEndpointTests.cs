using System.Net;
using System.Text.Json;
using ReviewBot.Tests.CodeHosts.GitLab;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.Ingest;

/// <summary>
/// <c>GET /api/repos/{group}/{subgroup}/{project}/config</c> on the app with Azurite for a GitLab project in a subgroup:
/// its task is known from a merge request hook, and its .reviewbot.yml is read at the base commit through the fake
/// GitLab's repository files API. Paths that name no repository are a 400 problem naming the wrong part, never a 500.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NestedRepositoryConfigEndpointTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long Project = 314;
    private const string Path = "platform/backend/billing-api";
    private const string Server = """
        linters:
          lint-a: { command: ["true"] }
          lint-b: { command: ["true"] }
        """;

    private GitRepo _repo = null!;
    private FakeGitLabServer _gitlab = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo a\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo b\n" });
        _gitlab = await FakeGitLabServer.StartAsync();
        _gitlab.AddMergeRequest(Project, 3).SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha, _repo.Diff());
        _gitlab.SetFile(Project, _repo.BaseSha, ".reviewbot.yml", "linters:\n  lint-b:\n    failOn: warning\n");
        _app = await TestApp.StartAsync(azurite, Server, GitLabDeliveries.Settings(_gitlab.Url, FakeGitLabServer.Token));
        var hook = GitLabDeliveries.MergeRequest(_repo, projectId: Project, iid: 3, path: Path,
            edit: j => j["object_attributes"]!["source"]!["git_http_url"] = $"https://127.0.0.1/{Path}.git");
        var response = await GitLabDeliveries.PostAsync(_app, hook);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _gitlab.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task AProjectInASubgroup_ShowsItsFileAtTheLatestKnownBase_ReadFromGitLab()
    {
        var response = await _app.Http.GetAsync($"/api/repos/{Path}/config");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var config = JsonDocument.Parse(body).RootElement;

        Assert.Equal((Path, "gitlab", _repo.BaseSha), (config.GetProperty("repository").GetString(), config.GetProperty("host").GetString(), config.GetProperty("ref").GetString()));
        Assert.Equal("applied", config.GetProperty("repositoryFile").GetProperty("state").GetString());
        var failOn = config.GetProperty("linters").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "lint-b").GetProperty("settings").GetProperty("failOn");
        Assert.Equal("warning", failOn.GetProperty("value").GetString());
        Assert.Equal(("repository file", ".reviewbot.yml:3:5"), (failOn.GetProperty("from")[0].GetProperty("source").GetString(), failOn.GetProperty("from")[0].GetProperty("at").GetString()));
        Assert.Contains(_gitlab.Requests, r => r.PathAndQuery == $"/api/v4/projects/{Project}/repository/files/.reviewbot.yml/raw?ref={_repo.BaseSha}");
    }

    [Fact]
    public async Task AnotherProjectOfTheSubgroup_IsUnknown()
    {
        var response = await _app.Http.GetAsync("/api/repos/platform/backend/other/config");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/repos/platform/-backend/billing-api/config", "group", "part 2")]
    [InlineData("/api/repos/platform//billing-api/config", "group", "an empty part")]
    [InlineData("/api/repos/platform%2Fbackend/billing-api/config", "owner", "platform%2Fbackend")]
    [InlineData("/api/repos/platform/backend/billing-api.git/config", "repo", "part 3")]
    [InlineData("/api/repos/platform/config", "repo", "names no repository")]
    [InlineData("/api/repos/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/config", "repo", "22 parts")]
    public async Task APathNamingNoRepository_IsA400ProblemNamingThePart(string path, string field, string detail)
    {
        var response = await _app.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/repos/platform/../config")]
    [InlineData("/api/repos/platform/%2E%2E/billing-api/config")]
    [InlineData("/api/repos/../../api/repos/x/config")]
    public async Task DotSegments_SentAsIs_AreNeverA500(string path)
    {
        // HttpClient removes dot segments itself; sent by hand they reach the server as written.
        var answer = await RawHttp.SendPartialAsync(_app.Url, "GET", path, [$"Authorization: Bearer {TestApp.AdminKey}", "Connection: close"], [], Timeouts.Short);

        Assert.True(answer.Status is 400 or 404, $"{answer.Status}: {answer.Body}");
        Assert.Equal("application/problem+json", answer.Headers.GetValueOrDefault("Content-Type")?.Split(';')[0]);
    }

    [Fact]
    public async Task APathNotEndingInConfig_IsA404()
    {
        var response = await _app.Http.GetAsync($"/api/repos/{Path}/settings");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
