using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Agents;

namespace ReviewBot.Tests.Agents;

public class AgentVersionsTests
{
    [Theory]
    [InlineData("0.1.0", "0.2.0", true)]
    [InlineData("0.2.0", "0.2.0", false)]
    [InlineData("0.2.0+5d1e2f", "0.2", false)]
    [InlineData("0.2.0-beta.1", "0.2.0", true)]
    [InlineData("1.0.0", "0.2.0", false)]
    [InlineData("v0.10.1", "0.9", false)]
    [InlineData("garbage", "0.2.0", true)]
    [InlineData(null, "0.2.0", true)]
    [InlineData("0.0.1", null, false)]
    public void IsOlder_ComparesTheNumericCore_APreReleaseBeingOlderThanItsRelease(string? version, string? minimum, bool older) =>
        Assert.Equal(older, AgentVersions.IsOlder(version, minimum));

    [Fact]
    public void AnAgentBelowTheMinimum_IsFlaggedOnItsView_AndOneAtTheMinimumIsNot()
    {
        var registry = new AgentRegistry(Options.Create(new AgentsOptions { MinimumAgentVersion = "0.2.0" }), new FakeTimeProvider());
        var old = registry.Register(Registration("old", "0.1.5"), "c1").Node;
        var current = registry.Register(Registration("new", "0.2.0+abc"), "c2").Node;

        var oldView = AgentDirectory.View(old);
        Assert.True(oldView.Outdated);
        Assert.Contains("older than the server's minimum 0.2.0", oldView.VersionWarning);
        Assert.False(AgentDirectory.View(current).Outdated);
    }

    [Fact]
    public void AMinimumThatIsNotAVersion_FailsValidation()
    {
        var problems = new AgentsOptions { MinimumAgentVersion = "latest" }.Validate(new(new object())).ToList();

        Assert.Contains(problems, p => p.ErrorMessage!.Contains("MinimumAgentVersion", StringComparison.Ordinal));
    }

    internal static AgentRegistration Registration(string nodeId, string version = "0.1.0", bool once = false, bool draining = false, IReadOnlyList<RunningTask>? running = null) =>
        new(nodeId, nodeId, ["linux"], 1, false, version, "linux", "x64", AgentProtocol.Version, running ?? [], draining, once);
}
