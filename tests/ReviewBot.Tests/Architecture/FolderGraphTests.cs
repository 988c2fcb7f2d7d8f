using Xunit.Abstractions;

namespace ReviewBot.Tests.Architecture;

/// <summary>The layering of the server, checked on its folder graph (<see cref="FolderGraph"/>).</summary>
public class FolderGraphTests(ITestOutputHelper output)
{
    private static readonly Lazy<FolderGraph> Server = new(FolderGraph.Server);

    /// <summary>Infrastructure folders: they serve every capability and so may use none.</summary>
    private static readonly string[] Infrastructure = ["Hosting", "Storage"];

    [Fact]
    public void ServerFoldersFormNoCycle()
    {
        var graph = Server.Value;
        var edges = graph.Cycles().SelectMany(c => graph.EdgesAmong(c)).ToList();
        Assert.True(edges.Count == 0, $"\nThese dependencies close a cycle between folders:\n{graph.Describe(edges, examples: 3)}");
    }

    /// <summary>Code hosts are plug-ins on top: they implement the capabilities' ports, and only the composition root
    /// (Program, no folder) names them. Neither host knows the other.</summary>
    [Fact]
    public void NoFolderDependsOnACodeHost()
    {
        var graph = Server.Value;
        var edges = graph.Folders
            .SelectMany(from => graph.DependenciesOf(from).Select(to => (from, to)))
            .Where(e => e.to.StartsWith("CodeHosts.", StringComparison.Ordinal)).ToList();
        Assert.True(edges.Count == 0, $"\nThese folders depend on a code host:\n{graph.Describe(edges, examples: 3)}");
    }

    [Fact]
    public void StorageAndHostingUseNoCapability()
    {
        var graph = Server.Value;
        var edges = Infrastructure.SelectMany(from => graph.DependenciesOf(from).Select(to => (from, to))).ToList();
        Assert.True(edges.Count == 0, $"\nInfrastructure depends on capabilities:\n{graph.Describe(edges, examples: 5)}");
    }

    [Fact]
    public void PrintsTheServerFolderGraph()
    {
        output.WriteLine(Server.Value.ToString());
        Assert.Contains("Tasks", Server.Value.Folders);
        Assert.Contains("Agents", Server.Value.Folders);
    }

    [Theory]
    [InlineData("ReviewBot.Functions.Jobs", "Jobs")]
    [InlineData("ReviewBot.Functions.Jobs.Scheduling", "Jobs")]
    [InlineData("ReviewBot.Functions.CodeHosts.GitHub.Reporting", "CodeHosts.GitHub")]
    [InlineData("ReviewBot.Core.Labels", "Core.Labels")]
    [InlineData("ReviewBot.Core.Labels.Nodes", "Core.Labels")]
    [InlineData("ReviewBot.Functions", null)]
    [InlineData("ReviewBot.Contracts.Agents", null)]
    [InlineData("System.Text.RegularExpressions.Generated", null)]
    [InlineData("", null)]
    public void AFolderIsTheNamespaceBelowTheRoot(string ns, string? folder) => Assert.Equal(folder, FolderGraph.FolderOf(ns));

    [Fact]
    public void ReferencesInLambdasAsyncMethodsAndAttributesCountForTheOutermostType()
    {
        var references = TypeReferences.Read(typeof(FolderGraphTests).Assembly.Location);
        var ns = typeof(Fixture.Used).Namespace!;
        var used = new TypeKey(ns, nameof(Fixture.Used));
        Assert.Contains((new TypeKey(ns, nameof(Fixture.UsesInALambda)), used), references);
        Assert.Contains((new TypeKey(ns, nameof(Fixture.UsesInAnAsyncMethod)), used), references);
        Assert.Contains((new TypeKey(ns, nameof(Fixture.UsesInATypeofArgument)), used), references);
        // A nested type has no namespace of its own: none may appear, the closure and state machine count for their outer type.
        Assert.All(references.Where(r => r.To == used), r => Assert.NotEqual("", r.From.Namespace));
    }
}
