using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.SignalR;
using ReviewBot.Functions.Hosting.Functions;
using ReviewBot.Tests.Functions.FunctionsHost;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Functions;

/// <summary>
/// The published worker (scripts/publish.sh, once per run) driven the way the Azure Functions host drives it
/// (<see cref="FunctionsHostStandIn"/>: the worker process, FunctionRpc over gRPC, HTTP proxied to the worker's
/// HttpUri, timers as InvocationRequests). The app runs on Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerHostTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private FunctionsHostStandIn _host = null!;
    private WorkerPackage _package = null!;
    private string _configPath = null!;
    private HttpClient _client = null!;
    private TimeSpan _firstAnswer;

    public async Task InitializeAsync()
    {
        _package = await WorkerPackage.GetAsync();
        _configPath = Path.Combine(Path.GetTempPath(), $"reviewbot-worker-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_configPath, Configs.ShellcheckOnLinux);
        var settings = WorkerSettings.For(azurite, _configPath);
        // The app's routing says which endpoint matched each request (EndpointReachability below).
        settings["Logging__LogLevel__Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware"] = "Debug";
        _host = await FunctionsHostStandIn.StartAsync(_package.AppRoot, settings, Timeouts.Long);
        _client = new HttpClient { BaseAddress = new Uri(_host.Url), Timeout = Timeouts.Long };
        using var health = await _client.GetAsync("/api/health");
        _firstAnswer = _host.SinceStart;
        Assert.True(health.StatusCode == HttpStatusCode.OK, $"{(int)health.StatusCode}: {await health.Content.ReadAsStringAsync()}\n{_host.Output}");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        File.Delete(_configPath);
    }

    [Fact]
    public async Task Worker_OffersOneCatchAllHttpFunction_AndAFunctionPerRegisteredTimer_AndEndsOnTerminate()
    {
        output.WriteLine($"worker started (all functions loaded) in {_host.Startup.TotalMilliseconds:0} ms; first answered request at {_firstAnswer.TotalMilliseconds:0} ms");
        output.WriteLine(_package.PublishOutput.Trim());
        Assert.True(_host.Capabilities.ContainsKey("HttpUri"), "the worker must offer ASP.NET Core integration (HttpUri)");

        var http = Assert.Single(_host.Functions.Values, f => f.TriggerType == "httpTrigger");
        Assert.Equal("http", http.Name);
        var trigger = http.Bindings.Single(b => b["type"]!.GetValue<string>() == "httpTrigger");
        Assert.Equal("{*path}", trigger["route"]!.GetValue<string>());
        Assert.Equal("anonymous", trigger["authLevel"]!.GetValue<string>().ToLowerInvariant());
        Assert.Equal(["delete", "get", "head", "options", "patch", "post", "put"], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant()).Order());

        await using var app = ReviewBot.Functions.Program.Build([]);
        var timers = app.Services.GetServices<TimerFunction>().ToList();
        Assert.Contains(timers, t => t.Name == "presence-sweep");
        Assert.Equal(timers.Select(t => t.Name).Order(), _host.Functions.Values.Where(f => f.TriggerType == "timerTrigger").Select(f => f.Name).Order());
        foreach (var t in timers)
            Assert.Equal(t.Schedule, _host.Functions[t.Name].Bindings.Single(b => b["type"]!.GetValue<string>() == "timerTrigger")["schedule"]!.GetValue<string>());

        // The published functions.metadata (what Azure tooling lists) names the same functions.
        var published = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_package.AppRoot, "functions.metadata")))!.AsArray().Select(f => f!["name"]!.GetValue<string>());
        Assert.Equal(_host.Functions.Keys.Order(), published.Order());

        await _host.DisposeAsync();
        Assert.Equal(0, _host.ExitCode);
    }

    [Fact]
    public async Task EveryEndpointOfTheApp_IsReachableThroughTheWorker()
    {
        await using var app = ReviewBot.Functions.Program.Build([]);
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/github/webhook");
        var unreachable = new List<string>();
        foreach (var e in endpoints)
        {
            // WebSockets do not reach a function app: there Azure SignalR Service (serverless) holds the agents' and the
            // dashboard's connections, and its upstream calls are ordinary endpoints under /api/signalr.
            if (e.Metadata.GetMetadata<HubMetadata>() is not null) continue;
            // The self-hosted scrape path lies outside the host's "api" route prefix; the same exporter answers at
            // /api/metrics, which this loop reaches like every other endpoint.
            if (e.RoutePattern.RawText == ReviewBot.Functions.Telemetry.TelemetryRegistration.MetricsPath) continue;
            var method = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
            using var request = new HttpRequestMessage(new HttpMethod(method), SamplePath(e.RoutePattern));
            if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await _client.SendAsync(request);
            try { await _host.WaitForOutputAsync($"Request matched endpoint '{e.DisplayName}'", Timeouts.Short); }
            catch (TimeoutException) { unreachable.Add($"{e.DisplayName}: {method} {request.RequestUri} answered {(int)response.StatusCode} without reaching it"); }
        }
        Assert.True(unreachable.Count == 0, "Endpoints not reachable through the worker:\n" + string.Join('\n', unreachable));
    }

    [Fact]
    public async Task PathOutsideTheRoutePrefix_IsAnsweredByTheHost_WithoutAnInvocation()
    {
        using var response = await _client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(_host.Requests, r => r.PathAndQuery == "/health" && r.Invocation is null);
    }

    [Fact]
    public async Task SignedWebhook_ThroughTheWorker_Is202_AndItsTasksAreStored()
    {
        using var repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo a\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
        var json = JsonNode.Parse(Deliveries.PullRequest(repo))!;
        json["repository"]!["clone_url"] = "https://github.com/Codertocat/Hello-World.git";
        var body = Encoding.UTF8.GetBytes(json.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute(TestApp.WebhookSecret, body));

        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}\n{_host.Output}");
        var ids = JsonDocument.Parse(text).RootElement.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.NotEmpty(ids);
        foreach (var id in ids)
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/tasks/{id}");
            read.Headers.Authorization = new("Bearer", TestApp.AdminKey);
            using var get = await _client.SendAsync(read);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("queued", JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString());
        }
        Assert.Contains(_host.Requests, r => r.PathAndQuery == "/api/github/webhook" && r.Status == 202 && r.Invocation == Rpc.StatusResult.Types.Status.Success);
    }

    [Fact]
    public async Task BadRequest_ThroughTheWorker_IsTheAppsProblemDetails()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EachTimerFunction_RunsTheAppsRegisteredTimer()
    {
        await using var app = ReviewBot.Functions.Program.Build([]);
        foreach (var timer in app.Services.GetServices<TimerFunction>())
        {
            var outcome = await _host.InvokeTimerAsync(timer.Name);
            Assert.True(outcome.Succeeded, $"{timer.Name}: {outcome.Result.Exception?.Message}\n{_host.Output}");
            Assert.Contains(outcome.Logs, l => l.StartsWith($"{timer.Name} ran in", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task HostJson_AtTheRoot_IsTheWorkersHostJson()
    {
        var root = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "host.json"));
        Assert.Equal(root, await File.ReadAllTextAsync(Path.Combine(_package.AppRoot, "host.json")));
        var host = JsonNode.Parse(root)!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Null(host["customHandler"]);
        Assert.Null(host["extensionBundle"]);
        var worker = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_package.AppRoot, "worker.config.json")))!["description"]!;
        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
    }

    [Fact]
    public void WorkersHttpPort_IsOnLoopback()
    {
        var uri = new Uri(_host.Capabilities["HttpUri"]);
        Assert.True(uri.IsLoopback, $"the worker's HTTP port must be reachable from the host only: {uri}");
    }

    [Fact]
    public async Task ChunkedBody_ReachesTheApp_SoItsSignatureHolds()
    {
        // A body without Content-Length (chunked) must reach the app whole through the host's proxy to the worker.
        var body = "{\"zen\":\"Keep it logically awesome.\"}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new StreamContent(new UnknownLengthStream(body)) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute(TestApp.WebhookSecret, body));

        using var response = await _client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A body whose length is not known up front: HttpClient sends it chunked, without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    /// <summary>A concrete path for a route pattern: a value each parameter's constraints accept.</summary>
    private static string SamplePath(RoutePattern pattern)
    {
        var parts = new List<string>();
        foreach (var segment in pattern.PathSegments)
        {
            var text = new StringBuilder();
            foreach (var part in segment.Parts)
            {
                text.Append(part switch
                {
                    RoutePatternLiteralPart l => l.Content,
                    RoutePatternSeparatorPart s => s.Content,
                    RoutePatternParameterPart { IsCatchAll: true } => "a/b",
                    RoutePatternParameterPart p when p.ParameterPolicies.Any(c => c.Content is "int" or "long") => "1",
                    RoutePatternParameterPart p when p.ParameterPolicies.Any(c => c.Content == "guid") => Guid.NewGuid().ToString(),
                    RoutePatternParameterPart p when p.ParameterPolicies.Any(c => c.Content == "bool") => "true",
                    _ => "x1",
                });
            }
            parts.Add(text.ToString());
        }
        return "/" + string.Join('/', parts);
    }
}
