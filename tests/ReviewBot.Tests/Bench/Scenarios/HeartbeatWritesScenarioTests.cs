using ReviewBot.Bench.Scenarios;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench.Scenarios;

[Collection(AzuriteCollection.Name)]
public sealed class HeartbeatWritesScenarioTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Smoke_run_counts_heartbeats_and_last_ping_transactions()
    {
        var printed = await BenchSmoke.RunAsync(azurite, output, (storage, ct) => HeartbeatWritesScenario.RunAsync(HeartbeatWritesOptions.Smoke(), storage, ct));
        Assert.Contains("transactions per heartbeat:", printed, StringComparison.Ordinal);
    }
}
