namespace ReviewBot.Tests;

public class SmokeTests
{
    [Fact]
    public void ContractsHaveAProtocolVersion() => Assert.Equal(1, ReviewBot.Contracts.Agents.AgentProtocol.Version);
}
