using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Hosting;

/// <summary>
/// The published package driven the way the Azure Functions host drives it (<see cref="FunctionsHostStandIn"/>): the
/// apphost started from the unzipped package with FUNCTIONS_CUSTOMHANDLER_PORT, HTTP functions forwarded with their
/// /api path, timers posted as invocation payloads. The app runs on Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomHandlerHostTests(AzuriteFixture azurite, FunctionsPackageFixture package) : IClassFixture<FunctionsPackageFixture>, IAsyncLifetime
{
    private FunctionsHostStandIn _host = null!;
    private string _configPath = null!;

    public async Task InitializeAsync()
    {
        _configPath = Path.Combine(Path.GetTempPath(), $"reviewbot-host-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_configPath, Configs.ShellcheckOnLinux);
        _host = await FunctionsHostStandIn.StartAsync(package.AppRoot, new Dictionary<string, string>
        {
            ["ReviewBot__Storage__ConnectionString"] = azurite.ConnectionString,
            ["ReviewBot__Storage__Prefix"] = AzuriteFixture.NewPrefix(),
            ["ReviewBot__ConfigPath"] = _configPath,
            ["ReviewBot__GitHub__WebhookSecret"] = TestApp.WebhookSecret,
            ["ReviewBot__Agents__Tokens__0"] = TestApp.AgentToken,
            ["ReviewBot__Api__Keys__0"] = $"admin:{TestApp.AdminKey}",
            ["ReviewBot__Agents__HeartbeatInterval"] = "00:00:01",
            ["ReviewBot__Agents__MissedHeartbeats"] = "2",
            ["ReviewBot__Agents__CacheWarmup"] = "00:00:00",
            ["Logging__LogLevel__Default"] = "Warning",
        }, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_configPath);
    }

    [Fact]
    public void Package_HasAFunctionForEveryEndpointAndTheTimers()
    {
        Assert.Contains("post_api_github_webhook", _host.HttpFunctions);
        Assert.Contains("get_api_tasks_id", _host.HttpFunctions);
        Assert.Contains("get_api_health", _host.HttpFunctions);
        Assert.Contains("presence-sweep", _host.TimerFunctions);
    }

    [Fact]
    public async Task Executable_KeepsItsExecutableBitInTheZip()
    {
        var listing = await FunctionsPackageFixture.RunAsync("unzip", ["-Z", package.Zip, "ReviewBot.Functions"], Timeouts.Short);
        Assert.StartsWith("-rwx", listing.Trim());
        if (OperatingSystem.IsLinux())
            Assert.True(File.GetUnixFileMode(Path.Combine(package.AppRoot, "ReviewBot.Functions")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task Handler_ListensOnLoopbackOnly_AndAnswersTheReadinessProbe()
    {
        using var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_host.Port}"), Timeout = Timeouts.Short };
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/")).StatusCode);
        var listens = await File.ReadAllLinesAsync("/proc/net/tcp");
        var hexPort = _host.Port.ToString("X4");
        // 0100007F = 127.0.0.1 in /proc/net/tcp's byte order; state 0A = LISTEN.
        Assert.Contains(listens, l => l.Contains($"0100007F:{hexPort} 00000000:0000 0A"));
        Assert.DoesNotContain(listens, l => l.Contains($"00000000:{hexPort} 00000000:0000 0A"));
    }

    [Fact]
    public async Task ForwardedSignedWebhook_IsAccepted_AndItsTasksAreStored()
    {
        using var repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo a\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
        // The task is only stored here (no agent), so a clone URL on github.com, as production webhooks have.
        var json = System.Text.Json.Nodes.JsonNode.Parse(Deliveries.PullRequest(repo))!;
        json["repository"]!["clone_url"] = "https://github.com/Codertocat/Hello-World.git";
        var body = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute(TestApp.WebhookSecret, body));

        using var response = await _host.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}\n{_host.Output}");
        var ids = JsonDocument.Parse(text).RootElement.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.NotEmpty(ids);

        foreach (var id in ids)
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/tasks/{id}");
            read.Headers.Authorization = new("Bearer", TestApp.AdminKey);
            using var get = await _host.SendAsync(read);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            var task = JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(id, task.GetProperty("id").GetString());
            Assert.Equal("queued", task.GetProperty("state").GetString());
        }
    }

    [Fact]
    public async Task ChunkedBody_IsDroppedByTheForwarder_SoTheSignatureFails()
    {
        // Why clients must send Content-Length: the legacy forwarder copies a body only when Content-Length > 0.
        var body = "{\"zen\":\"Keep it logically awesome.\"}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new StreamContent(new UnknownLengthStream(body)) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute(TestApp.WebhookSecret, body));

        using var response = await _host.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RouteWithoutAFunction_IsNotForwarded()
    {
        using var response = await _host.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/agents/hub/negotiate"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PresenceTimer_AnswersTheDocumentedShape_AndTakesAStaleAgentOffline()
    {
        // An agent registers directly on the handler (under Azure it would come through SignalR Service), then goes silent.
        await using var hub = new HubConnectionBuilder()
            .WithUrl($"http://127.0.0.1:{_host.Port}{AgentProtocol.HubPath}", o => o.AccessTokenProvider = () => Task.FromResult<string?>(TestApp.AgentToken))
            .Build();
        await hub.StartAsync().WaitAsync(Timeouts.Short);
        var registered = await hub.InvokeAsync<RegistrationResult>(nameof(IAgentHub.Register),
            new AgentRegistration("silent-node", "silent-node", ["linux"], 1, false, "test", "linux", "x64", AgentProtocol.Version, [])).WaitAsync(Timeouts.Short);
        Assert.True(registered.Accepted, registered.Reason);

        // Heartbeats every second, two missed = offline; the in-process loop is off under the host, so only the timer can tell.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal("online", await AgentStateAsync("silent-node"));

        var answer = await _host.InvokeTimerAsync("presence-sweep");

        Assert.Equal(JsonValueKind.Object, answer.GetProperty("Outputs").ValueKind);
        Assert.Empty(answer.GetProperty("Outputs").EnumerateObject());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("ReturnValue").ValueKind);
        var logs = answer.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Contains(logs, l => l.Contains("1 node(s) offline"));
        Assert.Contains(logs, l => l.StartsWith("presence-sweep ran in"));
        Assert.Equal("offline", await AgentStateAsync("silent-node"));
    }

    private async Task<string?> AgentStateAsync(string nodeId)
    {
        using var agentRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/agents/{nodeId}");
        agentRequest.Headers.Authorization = new("Bearer", TestApp.AdminKey);
        using var response = await _host.SendAsync(agentRequest);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString();
    }

    /// <summary>A body whose length is not known up front: HttpClient sends it chunked, without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
