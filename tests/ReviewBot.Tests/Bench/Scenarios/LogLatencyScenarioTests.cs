using ReviewBot.Bench.Scenarios;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench.Scenarios;

[Collection(AzuriteCollection.Name)]
public sealed class LogLatencyScenarioTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Smoke_run_streams_lines_to_a_watching_browser_and_reports_cpu_per_mib()
    {
        var printed = await BenchSmoke.RunAsync(azurite, output, (storage, ct) => LogLatencyScenario.RunAsync(LogLatencyOptions.Smoke(), storage, ct));
        Assert.Contains("line → browser, batched every", printed, StringComparison.Ordinal);
        Assert.Contains("CPU per MiB streamed", printed, StringComparison.Ordinal);
    }
}
