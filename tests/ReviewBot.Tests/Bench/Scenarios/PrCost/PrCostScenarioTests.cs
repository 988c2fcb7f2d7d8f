using ReviewBot.Bench.Scenarios.PrCost;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench.Scenarios.PrCost;

[Collection(AzuriteCollection.Name)]
public sealed class PrCostScenarioTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    /// <summary>Exit 0 = the report reached the fake GitHub; the counts are printed, not asserted.</summary>
    [Fact]
    public async Task Smoke_run_reports_one_pull_request_and_counts_its_storage_transactions_by_table()
    {
        var printed = await BenchSmoke.RunAsync(azurite, output, (storage, ct) => PrCostScenario.RunAsync(PrCostOptions.Smoke(), storage, ct));
        Assert.Contains("| tasks | insert |", printed, StringComparison.Ordinal);
        Assert.Contains("check run completed", printed, StringComparison.Ordinal);
    }
}

public sealed class StorageTransactionCounterTests
{
    [Theory]
    [InlineData("GET", "http://127.0.0.1:1/devstoreaccount1/pfxtasks(PartitionKey='a',RowKey='')", "tasks", "point read")]
    [InlineData("GET", "http://127.0.0.1:1/devstoreaccount1/pfxtasks()?$filter=State%20eq%20'Queued'", "tasks", "query (one page)")]
    [InlineData("POST", "http://127.0.0.1:1/devstoreaccount1/pfxdeliveries", "deliveries", "insert")]
    [InlineData("PUT", "http://127.0.0.1:1/devstoreaccount1/pfx-logs/abc/log?comp=appendblock", "logs (blobs)", "append block")]
    [InlineData("POST", "http://127.0.0.1:1/devstoreaccount1/$batch", "(any table)", "batch (entity group transaction)")]
    public void Requests_are_named_by_table_or_container_and_operation(string method, string uri, string resource, string operation) =>
        Assert.Equal((resource, operation), StorageTransactionCounter.Classify(method, new Uri(uri), "pfx"));

    [Fact]
    public void Requests_under_another_prefix_are_not_counted() =>
        Assert.Null(StorageTransactionCounter.Classify("GET", new Uri("http://127.0.0.1:1/devstoreaccount1/othertasks(PartitionKey='a',RowKey='')"), "pfx"));
}
