using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks;

/// <summary>A suggested fix from an agent is kept whole or dropped whole on arrival, never cut.</summary>
public sealed class AgentResultFixLimitTests
{
    private static TaskResult With(FindingFix fix) =>
        new("n", "t", "l", TaskOutcome.Failed, 1, [new Finding("a.sh", 2, null, null, Severity.Warning, null, "m") { Fix = fix }], [], [], null, TimeSpan.FromSeconds(1));

    [Fact]
    public void AFixWithinTheLimit_IsKept()
    {
        var fix = new FindingFix(2, 3, "echo \"$1\"\n");

        Assert.Equal(fix, Assert.Single(AgentResultLimits.Cap(With(fix)).Findings).Fix);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 4)]
    public void AFixWhoseLinesMakeNoRange_IsDropped_TheFindingStays(int start, int end)
    {
        var finding = Assert.Single(AgentResultLimits.Cap(With(new FindingFix(start, end, "x\n"))).Findings);

        Assert.Null(finding.Fix);
        Assert.Equal("m", finding.Message);
    }

    [Fact]
    public void AFixOverTheLimit_IsDroppedWhole()
    {
        var finding = Assert.Single(AgentResultLimits.Cap(With(new FindingFix(1, 1, new string('x', FieldLimits.FixText + 1)))).Findings);

        Assert.Null(finding.Fix);
    }
}
