using System.Reflection;

namespace ReviewBot.Tests.Architecture;

/// <summary>What the compiled core and agent may reference: the rules that keep them free of the server's stack.</summary>
public class AssemblyReferenceTests
{
    /// <summary>The shared framework Microsoft.NETCore.App (System.*, netstandard, mscorlib), where the running
    /// runtime's own assemblies live; ASP.NET Core and Microsoft.Extensions.* are not part of it.</summary>
    private static readonly string Runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static bool IsRuntime(AssemblyName a) => File.Exists(Path.Combine(Runtime, a.Name + ".dll"));

    [Fact]
    public void CoreDependsOnlyOnContractsAndCronos() =>
        Assert.All(Assemblies.Core.GetReferencedAssemblies(), a =>
            Assert.True(a.Name is "ReviewBot.Contracts" or "Cronos" || IsRuntime(a), $"ReviewBot.Core references {a.Name}"));

    [Fact]
    public void AgentDependsOnlyOnContracts() =>
        Assert.All(Assemblies.Agent.GetReferencedAssemblies(), a =>
            Assert.True(a.Name == "ReviewBot.Contracts" || !a.Name!.StartsWith("ReviewBot", StringComparison.OrdinalIgnoreCase), $"the agent references {a.Name}"));
}
