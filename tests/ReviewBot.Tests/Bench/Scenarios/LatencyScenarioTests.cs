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
}
