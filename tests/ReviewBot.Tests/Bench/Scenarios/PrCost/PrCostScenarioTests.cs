using ReviewBot.Bench.Scenarios.PrCost;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench.Scenarios.PrCost;

[Collection(AzuriteCollection.Name)]
public sealed class PrCostScenarioTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    /// <summary>Exit 0 = the report reached the fake GitHub; the counts are printed, not asserted.</summary>
    [Fact]
    public async Task Smoke_run_reports_one_pull_request_and_counts_its_storage_transactions_by_table_from_the_apps_meter()
    {
        var printed = await BenchSmoke.RunAsync(azurite, output, (storage, ct) => PrCostScenario.RunAsync(PrCostOptions.Smoke(), storage, ct));
        Assert.Contains("| tasks | insert |", printed, StringComparison.Ordinal);
        Assert.Contains("check run completed", printed, StringComparison.Ordinal);
        Assert.Contains("| taskactive | query |", printed, StringComparison.Ordinal);
    }
}
