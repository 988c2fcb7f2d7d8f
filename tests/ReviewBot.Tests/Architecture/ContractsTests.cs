using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
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
        // SignalR invokes a hub's public instance methods by name; an explicit interface implementation is never called.
        Assert.All(typeof(IAgentHub).GetMethods(), m => Assert.NotNull(typeof(ReviewBot.Functions.Agents.AgentHub)
            .GetMethod(m.Name, BindingFlags.Public | BindingFlags.Instance, [.. m.GetParameters().Select(p => p.ParameterType)])));
        var handlers = AgentHandlers().ToList();
        Assert.All(typeof(IAgentClient).GetMethods(), m => Assert.Contains(handlers, h =>
            h.Name == m.Name && h.Payload.SequenceEqual(m.GetParameters().Select(p => p.ParameterType))));
    }

    /// <summary>The handlers the agent's code registers, read from its IL: each call of
    /// <c>HubConnectionExtensions.On&lt;T…&gt;</c> with the method name it is given (the string loaded last before the
    /// call: <c>nameof</c> compiles to one) and its payload types.</summary>
    private static IEnumerable<(string? Name, Type[] Payload)> AgentHandlers()
    {
        var agent = Assemblies.Agent;
        using var pe = new PEReader(File.OpenRead(agent.Location));
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0) continue;
            string? name = null;
            foreach (var i in Il.Read(pe.GetMethodBody(method.RelativeVirtualAddress)))
            {
                if (i.String(reader) is { } s) name = s;
                else if (IsGenericCallOfOn(reader, i.Token)
                    && agent.ManifestModule.ResolveMethod(i.Operand) is { DeclaringType.Name: "HubConnectionExtensions" } on)
                    yield return (name, on.GetGenericArguments());
            }
        }
    }

    private static bool IsGenericCallOfOn(MetadataReader reader, EntityHandle token) =>
        token.Kind == HandleKind.MethodSpecification
        && reader.GetMethodSpecification((MethodSpecificationHandle)token).Method is { Kind: HandleKind.MemberReference } on
        && reader.StringComparer.Equals(reader.GetMemberReference((MemberReferenceHandle)on).Name, "On");
}
