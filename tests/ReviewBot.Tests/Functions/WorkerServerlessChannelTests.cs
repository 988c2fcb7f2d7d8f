using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReviewBot.Tests.Functions.FunctionsHost;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeSignalRService;

namespace ReviewBot.Tests.Functions;

/// <summary>The agents' serverless channel under the Functions host: a real agent process negotiates with the
/// function app and connects to Azure SignalR Service (its local stand-in), whose upstream calls reach the app through
/// the host stand-in and the worker; the app's sends go to the service's REST API. Presence is the timer's job there.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerServerlessChannelTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FakeSignalRService _service = null!;
    private FunctionsHostStandIn _host = null!;
    private GitRepo _repo = null!;
    private string _configPath = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var package = await WorkerPackage.GetAsync();
        _service = await FakeSignalRService.StartAsync();
        _configPath = Path.Combine(Path.GetTempPath(), $"reviewbot-worker-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_configPath, Configs.ShellcheckOnLinux);
        var settings = WorkerSettings.For(azurite, _configPath);
        settings["ReviewBot__SignalR__ConnectionString"] = _service.ConnectionString;
        settings["ReviewBot__Webhooks__AllowLocalCloneUrls"] = "true"; // the agent clones the test repository from disk
        settings["ReviewBot__Agents__HeartbeatInterval"] = "00:00:01";
        settings["ReviewBot__Agents__MissedHeartbeats"] = "2";
        _host = await FunctionsHostStandIn.StartAsync(package.AppRoot, settings, Timeouts.Long);
        _service.UpstreamTemplate = _host.Url + "/api/signalr/{hub}/{category}/{event}";
        _admin = new HttpClient { BaseAddress = new Uri(_host.Url), Timeout = Timeouts.Long };
        _admin.DefaultRequestHeaders.Authorization = new("Bearer", TestApp.AdminKey);
        _repo = GitRepo.Create(new Dictionary<string, string> { ["run.sh"] = "#!/bin/sh\necho hi\n" },
            new Dictionary<string, string?> { ["run.sh"] = "#!/bin/sh\necho hi\nrm -rf $1/out\n" });
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        await _service.DisposeAsync();
        _repo.Dispose();
        File.Delete(_configPath);
    }

    [Fact]
    public async Task RealAgent_ThroughTheServiceAndTheWorker_RunsATask_AndThePresenceTimerTakesItOfflineWhenItFallsSilent()
    {
        await using var agent = AgentProcess.Start(_host.Url, "linux-box", ["linux"]);
        try { await _host.WaitForRequestAsync(r => r.PathAndQuery.EndsWith("/messages/Register", StringComparison.Ordinal) && r.Status == 200, Timeouts.Long, "the agent to register through the upstream"); }
        catch (TimeoutException e) { throw new TimeoutException($"{e.Message}\nAgent:\n{agent.Output}\nWorker:\n{_host.Output}"); }

        var body = Deliveries.PullRequest(_repo);
        using var delivery = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new ByteArrayContent(body) };
        delivery.Content.Headers.ContentType = new("application/json");
        delivery.Headers.Add("X-GitHub-Event", "pull_request");
        delivery.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        delivery.Headers.Add("X-Hub-Signature-256", ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute(TestApp.WebhookSecret, body));
        using var accepted = await _admin.SendAsync(delivery);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var ids = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!).ToList();

        await _host.WaitForRequestAsync(r => r.PathAndQuery.EndsWith("/messages/CompleteTask", StringComparison.Ordinal) && r.Status == 200, Timeouts.Long, "the agent's result to come through the upstream");
        var tasks = new List<JsonElement>();
        foreach (var id in ids) tasks.Add(await _admin.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}"));
        var shellcheck = tasks.Single(t => t.GetProperty("linter").GetString() == "shellcheck");
        Assert.Equal(("failed", "linux-box", 1), (shellcheck.GetProperty("state").GetString(), shellcheck.GetProperty("node").GetString(), shellcheck.GetProperty("findings").GetArrayLength()));
        Assert.Contains("SC2086", await _admin.GetStringAsync($"/api/tasks/{shellcheck.GetProperty("id").GetString()}/log"));
        Assert.Contains("rest POST connections AssignTask", _service.Log);

        // The in-process presence loop is off under the host: the presence-sweep timer function decides.
        Assert.True((await _host.InvokeTimerAsync("presence-sweep")).Succeeded);
        Assert.Equal("online", await AgentStateAsync("linux-box"));
        Signals.Stop(agent.Pid);
        try
        {
            var deadline = DateTimeOffset.UtcNow + Timeouts.Long;
            while (await AgentStateAsync("linux-box") != "offline")
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, "the presence timer did not take the silent agent offline");
                var sweep = await _host.InvokeTimerAsync("presence-sweep");
                Assert.True(sweep.Succeeded, sweep.Result.Exception?.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(250)); // pacing the polls while two heartbeats go missing
            }
        }
        finally { Signals.Continue(agent.Pid); }
    }

    private async Task<string?> AgentStateAsync(string name)
    {
        var agents = await _admin.GetFromJsonAsync<JsonElement>("/api/agents");
        return agents.EnumerateArray().Single(a => a.GetProperty("name").GetString() == name).GetProperty("state").GetString();
    }
}
