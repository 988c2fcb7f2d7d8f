using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Telemetry;

/// <summary><c>GET /metrics</c>, the app's Prometheus exporter, read as a scraper reads it: every line parsed
/// (<see cref="PrometheusText"/>), the families and their types, the histograms' buckets.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PrometheusScrapeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "#!/bin/sh\necho a\n" }, new Dictionary<string, string?> { ["a.sh"] = "#!/bin/sh\necho $1\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<TestApp> App(IDictionary<string, string?>? settings = null)
    {
        var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, settings);
        _owned.Add(app);
        return app;
    }

    private static async Task<PrometheusText> ScrapeAsync(TestApp app)
    {
        var response = await app.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(response.Content.Headers.ContentType.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ScrapeAfterADelivery_IsValidPrometheusText_WithTheFamiliesTypedAndMonotonicHistogramBuckets()
    {
        var app = await App();
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo))).StatusCode);

        var scrape = await ScrapeAsync(app);

        var expected = new Dictionary<string, string>
        {
            ["reviewbot_deliveries_total"] = "counter",
            ["reviewbot_webhook_ingest_time_seconds"] = "histogram",
            ["reviewbot_tasks_created_total"] = "counter",
            ["reviewbot_tasks_queued"] = "gauge",
            ["reviewbot_agents"] = "gauge",
            ["reviewbot_agents_connected"] = "gauge",
            ["reviewbot_agents_free_capacity"] = "gauge",
            ["reviewbot_heartbeats_total"] = "counter",
            ["reviewbot_lastping_table_transactions_total"] = "counter",
            ["reviewbot_storage_transactions_total"] = "counter",
            ["process_resident_memory_bytes"] = "gauge",
            ["dotnet_gc_heap_bytes"] = "gauge",
        };
        foreach (var (family, type) in expected)
            Assert.True(scrape.Types.TryGetValue(family, out var actual) && actual == type, $"{family}: expected a {type}, the scrape has {actual ?? "no such family"}");

        var delivery = scrape.Samples.Single(s => s.Name == "reviewbot_deliveries_total" && s.Labels["host"] == "github");
        Assert.Equal(("pull_request", "accepted", 1.0), (delivery.Labels["event"], delivery.Labels["outcome"], delivery.Value));
        Assert.Equal(2, scrape.Samples.Where(s => s.Name == "reviewbot_tasks_queued").Sum(s => s.Value));
        Assert.True(scrape.Samples.Single(s => s.Name == "process_resident_memory_bytes").Value > 10 * 1024 * 1024);

        var histograms = scrape.Types.Where(t => t.Value == "histogram").Select(t => t.Key).ToList();
        Assert.Contains("reviewbot_webhook_ingest_time_seconds", histograms);
        foreach (var histogram in histograms) AssertBucketsMonotonic(scrape, histogram);
    }

    /// <summary>Per label set: the buckets' counts never fall as <c>le</c> grows, the last is <c>+Inf</c> and equals
    /// <c>_count</c>.</summary>
    private static void AssertBucketsMonotonic(PrometheusText scrape, string family)
    {
        var buckets = scrape.Samples.Where(s => s.Name == family + "_bucket").GroupBy(s => Key(s.Labels));
        var counts = scrape.Samples.Where(s => s.Name == family + "_count").ToDictionary(s => Key(s.Labels), s => s.Value);
        Assert.NotEmpty(counts);
        foreach (var series in buckets)
        {
            var ordered = series.Select(s => (Le: double.Parse(s.Labels["le"].Replace("+Inf", "Infinity", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture), s.Value))
                .OrderBy(b => b.Le).ToList();
            Assert.True(double.IsPositiveInfinity(ordered[^1].Le), $"{family}{{{series.Key}}} has no +Inf bucket");
            for (var i = 1; i < ordered.Count; i++)
                Assert.True(ordered[i].Value >= ordered[i - 1].Value, $"{family}{{{series.Key}}}: bucket le={ordered[i].Le} holds fewer than le={ordered[i - 1].Le}");
            Assert.Equal(counts[series.Key], ordered[^1].Value);
        }
    }

    private static string Key(IReadOnlyDictionary<string, string> labels) =>
        string.Join(',', labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    [Fact]
    public async Task AgentThatHeartbeats_IsCountedConnectedAndIdle_WithItsHeartbeatsAndLastPingFlushes()
    {
        var app = await App();
        await using var agent = new HubConnectionBuilder()
            .WithUrl(app.Url + AgentProtocol.HubPath, o => o.AccessTokenProvider = () => Task.FromResult<string?>(TestApp.AgentToken))
            .Build();
        await agent.StartAsync().WithTimeout(Timeouts.Short, "the hub connection");
        var registered = await agent.InvokeAsync<RegistrationResult>(nameof(IAgentHub.Register),
            new AgentRegistration("metrics-node", "metrics-agent", ["linux"], 3, false, "test", "linux", "x64", AgentProtocol.Version, []))
            .WithTimeout(Timeouts.Short, "registration");
        Assert.True(registered.Accepted, registered.Reason);
        await agent.InvokeAsync(nameof(IAgentHub.Heartbeat), new AgentHeartbeat("metrics-node", [], false)).WithTimeout(Timeouts.Short, "a heartbeat");
        await agent.InvokeAsync(nameof(IAgentHub.Heartbeat), new AgentHeartbeat("metrics-node", [], false)).WithTimeout(Timeouts.Short, "a heartbeat");
        await app.Services.GetRequiredService<ReviewBot.Functions.Agents.PresenceMonitor>().FlushPingsAsync(CancellationToken.None).WithTimeout(Timeouts.Short, "a last-ping flush");

        var scrape = await ScrapeAsync(app);

        double Value(string name, string? state = null) => scrape.Samples.Single(s => s.Name == name && (state is null || s.Labels["state"] == state)).Value;
        Assert.Equal(1, Value("reviewbot_agents_connected"));
        Assert.Equal(1, Value("reviewbot_agents", "idle"));
        Assert.Equal(0, Value("reviewbot_agents", "busy"));
        Assert.Equal(3, Value("reviewbot_agents_free_capacity"));
        Assert.Equal(2, Value("reviewbot_heartbeats_total"));
        Assert.True(Value("reviewbot_lastping_table_transactions_total") >= 1);
    }

    [Fact]
    public async Task Metrics_NeedAReadKey_UnlessAnonymousMetricsIsSet()
    {
        var guarded = await App();
        using var anonymous = guarded.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        using var reader = guarded.Anonymous();
        reader.DefaultRequestHeaders.Authorization = new("Bearer", TestApp.ReadKey);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/metrics")).StatusCode);

        // Under /api (the path a Functions host reaches) the same exporter needs a read key whatever the setting.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/metrics")).StatusCode);
        var viaApi = await reader.GetAsync("/api/metrics");
        Assert.Equal(HttpStatusCode.OK, viaApi.StatusCode);
        Assert.Contains("reviewbot_agents_connected", await viaApi.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var open = await App(new Dictionary<string, string?> { ["ReviewBot:Telemetry:AnonymousMetrics"] = "true" });
        using var scraper = open.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await scraper.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task TelemetryOff_ServesNoMetrics()
    {
        var app = await App(new Dictionary<string, string?> { ["ReviewBot:Telemetry:Enabled"] = "false" });
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync("/metrics")).StatusCode);
    }
}
