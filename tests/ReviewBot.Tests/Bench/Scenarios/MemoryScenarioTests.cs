using ReviewBot.Bench.Scenarios;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench.Scenarios;

[Collection(AzuriteCollection.Name)]
public sealed class MemoryScenarioTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Smoke_run_samples_the_app_at_each_agent_level()
    {
        var printed = await BenchSmoke.RunAsync(azurite, output, (storage, ct) => MemoryScenario.RunAsync(MemoryOptions.Smoke(), storage, ct));
        Assert.Contains("| agents | online | app VmRSS", printed, StringComparison.Ordinal);
        Assert.Contains("TARGET RSS ≤ 1 GiB at 5 agents", printed, StringComparison.Ordinal);
    }
}
