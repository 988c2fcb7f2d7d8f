using ReviewBot.Bench.Scenarios;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench.Scenarios;

[Collection(AzuriteCollection.Name)]
public sealed class LatencyScenarioTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Smoke_run_places_webhooks_on_agents_and_reports_the_latency()
    {
        var printed = await BenchSmoke.RunAsync(azurite, output, (storage, ct) => LatencyScenario.RunAsync(LatencyOptions.Smoke(), storage, ct));
        Assert.Contains("webhook sent → assignment received", printed, StringComparison.Ordinal);
        Assert.Contains("TARGET p99(webhook sent → assignment)", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_run_comparing_telemetry_measures_with_it_off_then_on_and_prints_the_p50_overhead()
    {
        var printed = await BenchSmoke.RunAsync(azurite, output, (storage, ct) =>
            LatencyScenario.RunAsync(LatencyOptions.Smoke() with { CompareTelemetry = true }, storage, ct));
        Assert.Contains("ReviewBot__Telemetry__Enabled=false", printed, StringComparison.Ordinal);
        Assert.Contains("ReviewBot__Telemetry__Enabled=true", printed, StringComparison.Ordinal);
        Assert.Contains("TARGET p50 overhead of telemetry ≤ 5 %", printed, StringComparison.Ordinal);
    }
}
