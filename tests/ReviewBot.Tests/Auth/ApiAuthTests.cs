using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Auth;

/// <summary>The API's keys on the real app: who gets in, with which role, and what stays open.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiAuthTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, "linters: {}\n");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient With(string? key)
    {
        var client = _app.Anonymous();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task NoKey_Is401ProblemWithABearerChallenge()
    {
        using var client = With(null);
        var response = await client.GetAsync("/api/tasks");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", (await Problem(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WrongKey_Is401()
    {
        using var client = With("not-a-configured-key-at-all");
        var response = await client.GetAsync("/api/agents");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The API key is not valid.", (await Problem(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ReadKey_ReadsButMayNotWrite()
    {
        using var client = With(TestApp.ReadKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tasks")).StatusCode);
        var evaluate = await client.PostAsJsonAsync("/api/labels/evaluate", new { filter = "linux", labels = new[] { "linux" } });
        Assert.Equal(HttpStatusCode.OK, evaluate.StatusCode);

        var drain = await client.PostAsync("/api/agents/some-node/drain", null);
        Assert.Equal(HttpStatusCode.Forbidden, drain.StatusCode);
        Assert.Contains("admin key", (await Problem(drain)).GetProperty("detail").GetString());
        Assert.Equal("read", (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("role").GetString());
    }

    [Fact]
    public async Task AdminKey_Writes()
    {
        Assert.Equal("admin", (await _app.GetJsonAsync<JsonElement>("/api/auth/me")).GetProperty("role").GetString());
        var drain = await _app.Http.PostAsync("/api/agents/no-such-node/drain", null);
        Assert.Equal(HttpStatusCode.NotFound, drain.StatusCode);
    }

    [Fact]
    public async Task AccessTokenQuery_CountsOnlyOnTheDashboardHub()
    {
        using var client = With(null);
        var response = await client.GetAsync($"/api/tasks?access_token={TestApp.AdminKey}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WebhooksHealthAndTheDashboardFiles_NeedNoKey()
    {
        using var client = With(null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);

        var index = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("<title>ReviewBot</title>", await index.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/js/app.js")).StatusCode);

        var body = Encoding.UTF8.GetBytes(File.ReadAllText(RepoPaths.TestData("github", "ping.json")));
        using var ping = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new ByteArrayContent(body) };
        ping.Content.Headers.ContentType = new("application/json");
        ping.Headers.Add("X-GitHub-Event", "ping");
        ping.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        ping.Headers.Add("X-Hub-Signature-256", ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute(TestApp.WebhookSecret, body));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ping)).StatusCode);
    }

    [Fact]
    public async Task AgentsKeepTheirOwnTokens_AnApiKeyDoesNotOpenTheAgentHub()
    {
        using var client = With(TestApp.AdminKey);
        var response = await client.PostAsync("/api/agents/hub/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Agent token", (await Problem(response)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task AppServicePrincipalHeaders_AreIgnoredUnlessASettingTrustsThem()
    {
        using var client = With(null);
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL-ID", "someone");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/tasks")).StatusCode);

        await using var trusting = await TestApp.StartAsync(azurite, "linters: {}\n", new Dictionary<string, string?> { ["ReviewBot:Api:AppServicePrincipalRole"] = "read" });
        using var behindEasyAuth = trusting.Anonymous();
        behindEasyAuth.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL-ID", "someone");
        Assert.Equal(HttpStatusCode.OK, (await behindEasyAuth.GetAsync("/api/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await behindEasyAuth.PostAsync("/api/agents/x/drain", null)).StatusCode);
    }

    [Fact]
    public async Task WithoutKeys_TheApiIsClosedAndSaysHowToOpenIt()
    {
        await using var app = await TestApp.StartAsync(azurite, "linters: {}\n",
            new Dictionary<string, string?> { ["ReviewBot:Api:Keys:0"] = TestApp.Unset, ["ReviewBot:Api:Keys:1"] = TestApp.Unset });
        var response = await app.Http.GetAsync("/api/tasks");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("ReviewBot__Api__Keys__0", (await Problem(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AShortKey_StopsTheAppAtStart()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(azurite, "linters: {}\n",
            new Dictionary<string, string?> { ["ReviewBot:Api:Keys:2"] = "admin:short" }));
        Assert.Contains("at least 16", e.ToString());
    }
}
