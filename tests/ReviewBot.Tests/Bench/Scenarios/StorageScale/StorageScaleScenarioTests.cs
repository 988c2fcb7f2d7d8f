using ReviewBot.Bench.Scenarios.StorageScale;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench.Scenarios.StorageScale;

[Collection(AzuriteCollection.Name)]
public sealed class StorageScaleScenarioTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Smoke_run_measures_each_size_and_a_restart_recovers_the_queued_tasks()
    {
        var printed = await BenchSmoke.RunAsync(azurite, output, (storage, ct) => StorageScaleScenario.RunAsync(StorageScaleOptions.Smoke(), storage, ct));
        Assert.Contains("| 200 |", printed, StringComparison.Ordinal);
        Assert.Contains("dispatcher holds the queued tasks", printed, StringComparison.Ordinal);
    }
}
