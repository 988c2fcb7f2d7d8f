using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Agents;

/// <summary>
/// Per-agent credentials over the real app: a bootstrap token is exchanged for a credential bound to one node id
/// (stored as a hash only), the hub takes the credential for that node only, shared tokens keep working with a
/// warning until they are turned off, and an admin's revocation cuts the agent off and requeues its tasks.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentCredentialTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SecondToken = "second-agent-token-for-tests";

    private const string Yaml = """
        jobs:
          deploy:
            trigger: manual
            repository: acme/app
            cloneUrl: https://example.invalid/acme/app.git
            steps: ["sleep 60"]
        """;

    private readonly LogCapture _logs = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
    }

    private async Task<TestApp> AppAsync(bool allowShared = true)
    {
        var app = await TestApp.StartAsync(azurite, Yaml, new Dictionary<string, string?>
        {
            ["ReviewBot:Agents:Tokens:1"] = SecondToken,
            ["ReviewBot:Agents:AllowSharedTokens"] = allowShared ? "true" : "false",
            ["Logging:LogLevel:ReviewBot"] = "Information",
        }, configure: b => b.Logging.AddProvider(_logs));
        _owned.Add(app);
        return app;
    }

    private async Task<T> Own<T>(Task<T> starting) where T : IAsyncDisposable
    {
        var d = await starting;
        _owned.Add(d);
        return d;
    }

    private static async Task<HttpResponseMessage> ExchangeAsync(TestApp app, string? bearer, object body)
    {
        using var client = app.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, AgentCredentialFormat.Path) { Content = JsonContent.Create(body) };
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        return await client.SendAsync(request);
    }

    private static async Task<string> CredentialAsync(TestApp app, string nodeId, string bearer = TestApp.AgentToken)
    {
        var response = await ExchangeAsync(app, bearer, new { nodeId, name = nodeId });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var issued = (await response.Content.ReadFromJsonAsync<AgentCredentialResponse>())!;
        Assert.Equal(nodeId, issued.NodeId);
        return issued.Credential;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> AgentAsync(TestApp app, string nodeId) =>
        (await app.GetJsonAsync<JsonElement>("/api/agents")).EnumerateArray().Single(a => a.GetProperty("nodeId").GetString() == nodeId);

    [Fact]
    public async Task BootstrapToken_BuysACredentialForOneNode_StoredOnlyAsAHash()
    {
        var app = await AppAsync();

        var credential = await CredentialAsync(app, "agentA");
        var agent = await Own(ContractClient.ConnectWithAsync(app, credential, "agentA"));
        var other = await agent.RegisterAsync(ContractClient.Registration("agentB"));

        Assert.StartsWith("agentA:", credential);
        Assert.False(other.Accepted);
        Assert.Equal("agent", (await AgentAsync(app, "agentA")).GetProperty("credential").GetString());
        var secret = credential["agentA:".Length..];
        var rows = app.Services.GetRequiredService<StorageAccount>().AgentCredentials.QueryAsync<TableEntity>();
        var stored = new List<TableEntity>();
        await foreach (var row in rows) stored.Add(row);
        Assert.Equal("agentA", Assert.Single(stored).RowKey);
        Assert.DoesNotContain(stored.SelectMany(r => ((IDictionary<string, object>)r).Values), v => v?.ToString()?.Contains(secret) == true);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(secret));
    }

    [Fact]
    public async Task ACredentialSpeaksOnlyForItsNode_ItCannotConnectAsAnotherOrBuyAnotherNodesCredential()
    {
        var app = await AppAsync();
        var credential = await CredentialAsync(app, "agentA");

        var client = await Own(ContractClient.OpenAsync(app, credential, "agentB"));
        var registered = await client.RegisterAsync(ContractClient.Registration("agentB"));
        var bought = await ExchangeAsync(app, credential, new { nodeId = "agentB", name = "b" });

        Assert.False(registered.Accepted);
        Assert.Contains("agentA", registered.Reason);
        Assert.Equal(HttpStatusCode.Forbidden, bought.StatusCode);
        Assert.Null(app.Agents.Get("agentB"));
    }

    [Fact]
    public async Task ABootstrapTokenCannotTakeANodeIdThatHasACredential_TheCredentialRenewsItself()
    {
        var app = await AppAsync();
        var first = await CredentialAsync(app, "agentA");

        var stolen = await ExchangeAsync(app, SecondToken, new { nodeId = "agentA", name = "impostor" });
        var renewed = await CredentialAsync(app, "agentA", bearer: first);

        Assert.Equal(HttpStatusCode.Conflict, stolen.StatusCode);
        Assert.Equal("nodeId", (await ProblemAsync(stolen)).GetProperty("field").GetString());
        Assert.NotEqual(first, renewed);
        var old = ContractClient.Build(app, first);
        _owned.Add(old);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => old.StartAsync().WaitAsync(Timeouts.Short));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await Own(ContractClient.ConnectWithAsync(app, renewed, "agentA"));
    }

    [Fact]
    public async Task NodeIdTakeover_OfAnAgentWithItsOwnCredential_ByASharedToken_IsRefused()
    {
        var app = await AppAsync();
        var owner = await Own(ContractClient.ConnectWithAsync(app, await CredentialAsync(app, "agentA"), "agentA"));
        var impostor = await Own(ContractClient.OpenAsync(app, SecondToken, "agentA"));

        var taken = await impostor.RegisterAsync(ContractClient.Registration("agentA"));

        Assert.False(taken.Accepted);
        Assert.Contains("own credential", taken.Reason);
        Assert.Equal(owner.Hub.ConnectionId, app.Agents.Get("agentA")!.ConnectionId);
    }

    [Fact]
    public async Task ABootstrapTokenCannotBuyTheNodeIdOfAnAgentConnectedWithAnotherSharedToken()
    {
        var app = await AppAsync();
        await Own(ContractClient.ConnectWithAsync(app, TestApp.AgentToken, "agentA"));

        var stolen = await ExchangeAsync(app, SecondToken, new { nodeId = "agentA", name = "impostor" });
        var migrated = await ExchangeAsync(app, TestApp.AgentToken, new { nodeId = "agentA", name = "agentA" });

        Assert.Equal(HttpStatusCode.Conflict, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.Created, migrated.StatusCode); // the agent itself moves to its own credential
    }

    [Theory]
    [InlineData(null, """{"nodeId":"a","name":"a"}""", HttpStatusCode.Unauthorized, null)]
    [InlineData("not-a-token", """{"nodeId":"a","name":"a"}""", HttpStatusCode.Unauthorized, null)]
    [InlineData(TestApp.AgentToken, """{"nodeId":"a/../b","name":"a"}""", HttpStatusCode.BadRequest, "nodeId")]
    [InlineData(TestApp.AgentToken, """{"nodeId":"a:b","name":"a"}""", HttpStatusCode.BadRequest, "nodeId")]
    [InlineData(TestApp.AgentToken, """{"nodeId":42,"name":"a"}""", HttpStatusCode.BadRequest, "nodeId")]
    [InlineData(TestApp.AgentToken, """{"nodeId":"a"}""", HttpStatusCode.BadRequest, "name")]
    [InlineData(TestApp.AgentToken, """{"nodeId":"a","name":"\u202e"}""", HttpStatusCode.BadRequest, "name")]
    [InlineData(TestApp.AgentToken, """[1,2]""", HttpStatusCode.BadRequest, "body")]
    [InlineData(TestApp.AgentToken, """{"nodeId":""", HttpStatusCode.BadRequest, "body")]
    public async Task BadExchange_IsAProblemNamingTheField_AndStoresNothing(string? bearer, string body, HttpStatusCode status, string? field)
    {
        var app = await AppAsync();
        using var client = app.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, AgentCredentialFormat.Path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);

        var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        var problem = await ProblemAsync(response);
        if (field is not null) Assert.Equal(field, problem.GetProperty("field").GetString());
        var rows = app.Services.GetRequiredService<StorageAccount>().AgentCredentials.QueryAsync<TableEntity>();
        await foreach (var _ in rows) Assert.Fail("a credential was stored");
    }

    [Fact]
    public async Task SharedToken_StillConnects_WithAWarningInTheLogAndInTheAgentsApi()
    {
        var app = await AppAsync();

        await Own(ContractClient.ConnectWithAsync(app, TestApp.AgentToken, "legacy-box"));

        var shown = await AgentAsync(app, "legacy-box");
        Assert.Equal("shared", shown.GetProperty("credential").GetString());
        Assert.Contains("shared token", shown.GetProperty("warning").GetString());
        Assert.Contains(_logs.Lines, l => l.StartsWith("Warning") && l.Contains("legacy-box") && l.Contains("deprecated"));
    }

    [Fact]
    public async Task SharedTokensTurnedOff_TheHubRefusesThem_ButTheyStillRegisterAgents()
    {
        var app = await AppAsync(allowShared: false);

        var shared = ContractClient.Build(app, TestApp.AgentToken);
        _owned.Add(shared);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => shared.StartAsync().WaitAsync(Timeouts.Short));
        var credential = await CredentialAsync(app, "agentA");
        await Own(ContractClient.ConnectWithAsync(app, credential, "agentA"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("agent", (await AgentAsync(app, "agentA")).GetProperty("credential").GetString());
    }

    [Fact]
    public async Task Revoke_ClosesTheConnection_RequeuesTheTask_AndKeepsTheAgentOutUntilAnAdminForgetsIt()
    {
        var app = await AppAsync();
        var credential = await CredentialAsync(app, "agentA");
        var agent = await Own(ContractClient.ConnectWithAsync(app, credential, "agentA"));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        Assert.Equal(HttpStatusCode.Accepted, (await app.Http.PostAsync("/api/jobs/deploy/run", null)).StatusCode);
        var job = await agent.NextAssignmentAsync();
        Assert.True((await agent.AcceptAsync(job)).Accepted);

        using var reader = new HttpClient { BaseAddress = new Uri(app.Url) };
        reader.DefaultRequestHeaders.Authorization = new("Bearer", TestApp.ReadKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/agents/agentA/revoke", null)).StatusCode);
        var revoke = await app.Http.PostAsync("/api/agents/agentA/revoke", null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("revoked", (await revoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credential").GetString());
        await closed.Task.WithTimeout(Timeouts.Short, "the revoked agent's connection to close");
        var task = await app.WaitForTaskAsync(job.TaskId, t => t.State == TaskState.Queued, Timeouts.Short, "the task to be requeued");
        Assert.Equal(2, task.Attempt);
        Assert.Contains(task.History, h => h.Note.Contains("revoked"));

        var again = ContractClient.Build(app, credential);
        _owned.Add(again);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync().WaitAsync(Timeouts.Short));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ExchangeAsync(app, TestApp.AgentToken, new { nodeId = "agentA", name = "agentA" })).StatusCode);
        var shared = await Own(ContractClient.OpenAsync(app, TestApp.AgentToken, "agentA"));
        Assert.False((await shared.RegisterAsync(ContractClient.Registration("agentA"))).Accepted);

        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync("/api/agents/agentA/credential")).StatusCode);
        var fresh = await CredentialAsync(app, "agentA");
        await Own(ContractClient.ConnectWithAsync(app, fresh, "agentA"));
        Assert.Equal("agent", (await AgentAsync(app, "agentA")).GetProperty("credential").GetString());
    }

    [Fact]
    public async Task ForgettingACredentialThatIsNotRevoked_IsAConflict_AndRevokingAnUnknownAgentIsNotFound()
    {
        var app = await AppAsync();
        await CredentialAsync(app, "agentA");

        Assert.Equal(HttpStatusCode.Conflict, (await app.Http.DeleteAsync("/api/agents/agentA/credential")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.PostAsync("/api/agents/nobody/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.DeleteAsync("/api/agents/nobody/credential")).StatusCode);
    }
}
