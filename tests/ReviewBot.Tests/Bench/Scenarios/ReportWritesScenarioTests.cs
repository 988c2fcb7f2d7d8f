using ReviewBot.Bench.Scenarios;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Bench.Scenarios;

public sealed class ReportWritesScenarioTests(ITestOutputHelper output)
{
    /// <summary>The write counts are exact (no timing), so the smoke run's checks hold on any machine: exit 0 = MET.</summary>
    [Fact]
    public async Task Smoke_run_reports_first_runs_and_a_second_push_within_the_write_budget()
    {
        var printed = await BenchSmoke.RunAsync(output, ct => ReportWritesScenario.RunAsync(ReportWritesOptions.Smoke(), ct));
        Assert.Contains("| 31 | 5 | 6 |", printed, StringComparison.Ordinal);
        Assert.Contains("Second push", printed, StringComparison.Ordinal);
    }
}
