using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Infrastructure;

/// <summary>The real app on Kestrel (127.0.0.1, a free port), on Azurite with a storage prefix of its own.</summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string WebhookSecret = "It's a Secret to Everybody";
    public const string AgentToken = "agent-token-for-tests";

    /// <summary>The API keys every test app has; <see cref="Http"/> sends the admin one.</summary>
    public const string AdminKey = "admin-key-for-tests-0123456789";
    public const string ReadKey = "read-key-for-tests-0123456789";

    /// <summary>A settings value that removes the default setting of that name (e.g. the API keys).</summary>
    public const string Unset = "(unset)";

    private readonly WebApplication _app;

    private TestApp(WebApplication app, string url, string prefix)
    {
        _app = app;
        Url = url;
        Prefix = prefix;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeouts.Short };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
    }

    public string Url { get; }

    /// <summary>A client without a key (for testing the API's authentication).</summary>
    public HttpClient Anonymous() => new() { BaseAddress = new Uri(Url), Timeout = Timeouts.Short };
    public string Prefix { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;
    public TaskStore Tasks => Services.GetRequiredService<TaskStore>();
    public AgentRegistry Agents => Services.GetRequiredService<AgentRegistry>();

    /// <param name="time">The app's clock instead of the system's (e.g. a FakeTimeProvider).</param>
    /// <param name="configure">More changes to the app's services (e.g. swap IJobCatalog).</param>
    public static async Task<TestApp> StartAsync(AzuriteFixture azurite, string configYaml, IDictionary<string, string?>? settings = null, string? prefix = null,
        TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null)
    {
        prefix ??= AzuriteFixture.NewPrefix();
        var configPath = Path.Combine(Path.GetTempPath(), $"reviewbot-{prefix}.yaml");
        await File.WriteAllTextAsync(configPath, configYaml);
        var all = new Dictionary<string, string?>
        {
            ["ReviewBot:Storage:ConnectionString"] = azurite.ConnectionString,
            ["ReviewBot:Storage:Prefix"] = prefix,
            ["ReviewBot:ConfigPath"] = configPath,
            ["ReviewBot:GitHub:WebhookSecret"] = WebhookSecret,
            ["ReviewBot:Agents:Tokens:0"] = AgentToken,
            ["ReviewBot:Api:Keys:0"] = $"admin:{AdminKey}",
            ["ReviewBot:Api:Keys:1"] = $"read:{ReadKey}",
            ["ReviewBot:Agents:HeartbeatInterval"] = "00:00:01",
            ["ReviewBot:Agents:MissedHeartbeats"] = "4",
            ["ReviewBot:Agents:DisconnectGrace"] = "00:00:02",
            ["ReviewBot:Agents:CacheWarmup"] = "00:00:00",
            ["ReviewBot:Agents:LastPingFlushInterval"] = "00:00:01",
            ["ReviewBot:Routing:AcceptTimeout"] = "00:00:03",
            ["ReviewBot:Routing:SweepInterval"] = "00:00:00.200",
            // The tests' repositories are local bare ones (GitRepo), named by webhooks: the documented test/demo setting.
            // Tests of the production default pass TestApp.Unset for it (Webhooks/WebhookSourceEndpointTests).
            ["ReviewBot:Webhooks:AllowLocalCloneUrls"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            // The dashboard's files, from the source tree (the test's own folder has no wwwroot).
            ["webroot"] = Path.Combine(RepoPaths.Root, "functions", "ReviewBot.Functions", "wwwroot"),
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            if (v == Unset) all.Remove(k); else all[k] = v;
        var args = all.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = ReviewBot.Functions.Program.Build(args, b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            if (time is not null) b.Services.AddSingleton(time);
            configure?.Invoke(b);
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, url, prefix);
    }

    /// <summary>Completes when the task satisfies <paramref name="condition"/>, driven by the store's change events.</summary>
    public async Task<ReviewTask> WaitForTaskAsync(string id, Func<ReviewTask, bool> condition, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource<ReviewTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(ReviewTask t) { if (t.Id == id && condition(t)) done.TrySetResult(t); }
        Tasks.Changed += OnChanged;
        try
        {
            if (await Tasks.GetAsync(id, CancellationToken.None) is { } current && condition(current)) return current;
            try { return await done.Task.WithTimeout(timeout, what); }
            catch (TimeoutException e)
            {
                var now = await Tasks.GetAsync(id, CancellationToken.None);
                var history = now is null ? "(no such task)" : string.Join("\n", now.History.Select(h => $"  {h.At:HH:mm:ss.fff} {h.State}: {h.Note}"));
                throw new TimeoutException($"{e.Message} Task is {now?.State} ({now?.PlacementReason}); history:\n{history}");
            }
        }
        finally { Tasks.Changed -= OnChanged; }
    }

    /// <summary>Completes when the registry satisfies <paramref name="condition"/>, driven by its node events.</summary>
    public async Task WaitForAgentsAsync(Func<AgentRegistry, bool> condition, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(AgentPresence _) { if (condition(Agents)) done.TrySetResult(); }
        Agents.NodeChanged += OnChanged;
        try
        {
            if (condition(Agents)) return;
            await done.Task.WithTimeout(timeout, what);
        }
        finally { Agents.NodeChanged -= OnChanged; }
    }

    public Task WaitForOnlineAsync(string name, TimeSpan timeout) =>
        WaitForAgentsAsync(r => r.All.Any(n => n.Name == name && n.ConnectionId is not null), timeout, $"agent {name} to register");

    /// <summary>Waits for a started agent process to register; on timeout the message carries the agent's own output.</summary>
    public async Task WaitForOnlineAsync(AgentProcess agent, TimeSpan timeout)
    {
        try { await WaitForOnlineAsync(agent.Name, timeout); }
        catch (TimeoutException e) { throw new TimeoutException($"{e.Message}\nAgent output:\n{agent.Output}"); }
    }

    public async Task<HttpResponseMessage> PostDeliveryAsync(string eventName, byte[] body, string? deliveryId = null, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", signature ?? ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookSignature.Compute(WebhookSecret, body));
        return await Http.SendAsync(request);
    }

    public async Task<T> GetJsonAsync<T>(string path) =>
        (await Http.GetFromJsonAsync<T>(path))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(stop.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
