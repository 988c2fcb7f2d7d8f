using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Dashboard;

[Collection(AzuriteCollection.Name)]
public sealed class MetricsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<Dictionary<string, double>> ScrapeAsync()
    {
        var response = await _app.Http.GetAsync("/api/metrics");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(response.Content.Headers.ContentType.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var values = new Dictionary<string, double>();
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#')) continue;
            var parts = line.Split(' ');
            values[parts[0]] = double.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return values;
    }

    [Fact]
    public async Task IdleApp_ServesEveryMetric_InPrometheusTextFormat()
    {
        var m = await ScrapeAsync();

        Assert.Equal(0, m["reviewbot_agents_connected"]);
        Assert.Equal(0, m["reviewbot_heartbeats_total"]);
        Assert.Equal(0, m["reviewbot_tasks_queued"]);
        Assert.Equal(0, m["reviewbot_results_refused_total"]);
        Assert.True(m["reviewbot_lastping_table_transactions_total"] >= 0);
        Assert.True(m["process_resident_memory_bytes"] > 10 * 1024 * 1024);
        Assert.True(m["dotnet_gc_heap_bytes"] > 0);
        Assert.True(m["dotnet_gc_pause_seconds_total"] >= 0);
    }

    [Fact]
    public async Task RegisteredAgentThatHeartbeats_IsCountedAsConnected_AndItsHeartbeatsAndLastPingFlushesAreCounted()
    {
        await using var agent = new HubConnectionBuilder()
            .WithUrl(_app.Url + AgentProtocol.HubPath, o => o.AccessTokenProvider = () => Task.FromResult<string?>(TestApp.AgentToken))
            .Build();
        await agent.StartAsync().WithTimeout(Timeouts.Short, "the hub connection");
        var registered = await agent.InvokeAsync<RegistrationResult>(nameof(IAgentHub.Register),
            new AgentRegistration("metrics-node", "metrics-agent", ["linux"], 1, false, "test", "linux", "x64", AgentProtocol.Version, []))
            .WithTimeout(Timeouts.Short, "registration");
        Assert.True(registered.Accepted, registered.Reason);

        await agent.InvokeAsync(nameof(IAgentHub.Heartbeat), new AgentHeartbeat("metrics-node", [], false)).WithTimeout(Timeouts.Short, "a heartbeat");
        await agent.InvokeAsync(nameof(IAgentHub.Heartbeat), new AgentHeartbeat("metrics-node", [], false)).WithTimeout(Timeouts.Short, "a heartbeat");
        // Flush the last pings now rather than waiting for the monitor's interval.
        var monitor = _app.Services.GetRequiredService<ReviewBot.Functions.Agents.PresenceMonitor>();
        await monitor.FlushPingsAsync(CancellationToken.None).WithTimeout(Timeouts.Short, "a last-ping flush");

        var m = await ScrapeAsync();
        Assert.Equal(1, m["reviewbot_agents_connected"]);
        Assert.Equal(2, m["reviewbot_heartbeats_total"]);
        Assert.True(m["reviewbot_lastping_table_transactions_total"] >= 1);
    }
}
