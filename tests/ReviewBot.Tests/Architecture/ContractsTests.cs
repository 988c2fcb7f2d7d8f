using System.Reflection;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Architecture;

public class ContractsTests
{
    private static readonly Assembly Contracts = typeof(IAgentHub).Assembly;

    [Fact]
    public void TheAgentProtocolDependsOnNothingButTheRuntime() =>
        Assert.All(Contracts.GetReferencedAssemblies(), a => Assert.True(a.Name is "System.Runtime" or "netstandard" || a.Name!.StartsWith("System.", StringComparison.Ordinal), $"{a.Name} is referenced"));

    [Fact]
    public void EveryMessageOfTheProtocolIsASealedRecord()
    {
        var messages = Contracts.GetTypes().Where(t => t.IsClass && t.IsPublic && !t.IsAbstract && t.Namespace!.StartsWith("ReviewBot.Contracts", StringComparison.Ordinal) && t != typeof(AgentProtocol));
        Assert.All(messages, t =>
        {
            Assert.True(t.IsSealed, $"{t.Name} is not sealed");
            Assert.NotNull(t.GetMethod("<Clone>$")); // only records have it
        });
    }

    [Fact]
    public void TheServerImplementsEveryHubMethodAndTheAgentHandlesEveryClientMethod()
    {
        Assert.True(typeof(IAgentHub).IsAssignableFrom(typeof(ReviewBot.Functions.Agents.AgentHub)));
        var handled = File.ReadAllText(Path.Combine(Infrastructure.RepoPaths.Root, "agent", "ReviewBot.Agent", "Connection", "AgentConnection.cs"));
        Assert.All(typeof(IAgentClient).GetMethods(), m => Assert.Contains($"nameof(IAgentClient.{m.Name})", handled));
    }
}
