using ReviewBot.Bench.Micro;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench.Micro;

public sealed class MicroSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_micro_benchmark_runs_once_for_each_of_its_parameters()
    {
        var printed = await BenchSmoke.RunAsync(output, _ => Task.FromResult(MicroSmoke.Run()));
        Assert.Contains("AgentSelectorBenchmarks(Filter=linux): ran", printed, StringComparison.Ordinal);
        Assert.Contains("LabelFilterBenchmarks", printed, StringComparison.Ordinal);
        Assert.Contains("AgentRegistryBenchmarks", printed, StringComparison.Ordinal);
    }
}
