using System.Net;
using System.Text.Json;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Ingest;

/// <summary>
/// <c>GET /api/repos/{owner}/{repo}/config</c> on the app with Azurite: the repository's .reviewbot.yml read with git
/// from a real repository (at the latest known base, or at ?ref=), every value with its origin; bad input is a 400
/// naming the field, an unknown repository a 404.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RepositoryConfigEndpointTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Server = """
        linters:
          lint-a: { command: ["true"] }
          lint-b: { command: ["true"], allowedArgs: ["--fast"] }
        repos:
          listed: { report: checks }
        """;

    private GitRepo _repo = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["a.sh"] = "echo a\n", [".reviewbot.yml"] = "linters:\n  lint-b:\n    failOn: warning\n" },
            new Dictionary<string, string?> { ["a.sh"] = "echo b\n", [".reviewbot.yml"] = "linters:\n  lint-a: { enable: false }\n" });
        _app = await TestApp.StartAsync(azurite, Server);
        var delivered = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, delivered.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<JsonElement> Config(string query = "")
    {
        var response = await _app.Http.GetAsync($"/api/repos/Codertocat/Hello-World/config{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static JsonElement Linter(JsonElement config, string name) =>
        config.GetProperty("linters").EnumerateArray().Single(l => l.GetProperty("name").GetString() == name);

    [Fact]
    public async Task ByDefault_TheFileAtTheLatestKnownBaseApplies_EachValueWithItsOrigin()
    {
        var config = await Config();

        Assert.Equal(_repo.BaseSha, config.GetProperty("ref").GetString());
        Assert.StartsWith("latest known base", config.GetProperty("refSource").GetString());
        Assert.Equal("applied", config.GetProperty("repositoryFile").GetProperty("state").GetString());
        var failOn = Linter(config, "lint-b").GetProperty("settings").GetProperty("failOn");
        Assert.Equal("warning", failOn.GetProperty("value").GetString());
        var origin = Assert.Single(failOn.GetProperty("from").EnumerateArray());
        Assert.Equal(("repository file", ".reviewbot.yml:3:5"), (origin.GetProperty("source").GetString(), origin.GetProperty("at").GetString()));
        var command = Linter(config, "lint-b").GetProperty("settings").GetProperty("command").GetProperty("from")[0];
        Assert.Equal("server default", command.GetProperty("source").GetString());
        Assert.EndsWith(".yaml:3:13", command.GetProperty("at").GetString());
        Assert.DoesNotContain("/", command.GetProperty("at").GetString());
        Assert.Equal("built-in default", Linter(config, "lint-a").GetProperty("settings").GetProperty("filter").GetProperty("from")[0].GetProperty("source").GetString());
        Assert.Equal(["--fast"], config.GetProperty("policy").GetProperty("allowedArgs").GetProperty("lint-b").GetProperty("value").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ARefGiven_ReadsTheFileThere()
    {
        var config = await Config($"?ref={_repo.HeadSha}");

        Assert.Equal("query", config.GetProperty("refSource").GetString());
        var lintA = Linter(config, "lint-a");
        Assert.False(lintA.GetProperty("enabled").GetProperty("value").GetBoolean());
        Assert.Equal(".reviewbot.yml:2:13", lintA.GetProperty("enabled").GetProperty("from")[0].GetProperty("at").GetString());
    }

    [Theory]
    [InlineData("/api/repos/-bad/Hello-World/config", "owner")]
    [InlineData("/api/repos/Codertocat/bad%20name/config", "repo")]
    [InlineData("/api/repos/Codertocat/Hello-World/config?ref=-x", "ref")]
    [InlineData("/api/repos/Codertocat/Hello-World/config?ref=a..b", "ref")]
    public async Task BadInput_IsA400ProblemNamingTheField(string path, string field)
    {
        var response = await _app.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task AnUnknownRepository_IsA404_AListedOneShowsTheServersConfiguration()
    {
        var unknown = await _app.Http.GetAsync("/api/repos/nobody/nothing/config");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        var listed = JsonDocument.Parse(await _app.Http.GetStringAsync("/api/repos/listed/app/config")).RootElement;
        Assert.Equal("notRead", listed.GetProperty("repositoryFile").GetProperty("state").GetString());
        var report = Linter(listed, "lint-a").GetProperty("settings").GetProperty("report");
        Assert.Equal(("checks", "org"), (report.GetProperty("value").GetString(), report.GetProperty("from")[0].GetProperty("source").GetString()));
    }

    [Fact]
    public async Task WithoutAKey_ItIsRefused() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Anonymous().GetAsync("/api/repos/Codertocat/Hello-World/config")).StatusCode);
}
