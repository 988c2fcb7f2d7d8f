using Xunit.Abstractions;

namespace ReviewBot.Tests.Architecture;

/// <summary>The layering of the server, checked on its folder graph (<see cref="FolderGraph"/>).</summary>
public class FolderGraphTests(ITestOutputHelper output)
{
    private static readonly Lazy<FolderGraph> Server = new(FolderGraph.Server);

    /// <summary>Infrastructure folders: they serve every capability and so may use none.</summary>
    private static readonly string[] Infrastructure = ["Hosting", "Storage"];

    /// <summary>The edges of the one cycle left while the re-layering (issue 13) is finished: the task lifecycle's ports
    /// (Tasks ⇄ Agents, Jobs, Trust, CodeHosts) and the code hosts' ports (CodeHosts ⇄ Ingest, Reporting, Reminders,
    /// Trust, Jobs). This list may only shrink: a new edge inside a cycle fails, and so does a listed edge that is gone
    /// (delete it here). When it is empty, the test asserts the folder graph is acyclic.</summary>
    private static readonly HashSet<(string From, string To)> CycleEdgesBeingCut =
    [
        ("Agents", "Logs"), ("Agents", "Tasks"),
        ("CodeHosts.GitHub", "Configuration"), ("CodeHosts.GitHub", "Ingest"), ("CodeHosts.GitHub", "Jobs"),
        ("CodeHosts.GitHub", "Reminders"), ("CodeHosts.GitHub", "Reporting"), ("CodeHosts.GitHub", "Tasks"),
        ("CodeHosts.GitHub", "Trust"),
        ("CodeHosts.GitLab", "CodeHosts.GitHub"), ("CodeHosts.GitLab", "Configuration"), ("CodeHosts.GitLab", "Ingest"),
        ("CodeHosts.GitLab", "Reminders"), ("CodeHosts.GitLab", "Reporting"), ("CodeHosts.GitLab", "Tasks"),
        ("CodeHosts.GitLab", "Trust"),
        ("Configuration", "Trust"),
        ("Ingest", "CodeHosts.GitHub"), ("Ingest", "CodeHosts.GitLab"), ("Ingest", "Configuration"), ("Ingest", "Reporting"),
        ("Ingest", "Tasks"), ("Ingest", "Trust"),
        ("Jobs", "CodeHosts.GitHub"), ("Jobs", "Configuration"), ("Jobs", "Tasks"),
        ("Logs", "Tasks"),
        ("Reminders", "CodeHosts.GitHub"), ("Reminders", "CodeHosts.GitLab"), ("Reminders", "Configuration"), ("Reminders", "Ingest"),
        ("Reporting", "CodeHosts.GitHub"), ("Reporting", "Tasks"),
        ("Tasks", "Agents"), ("Tasks", "CodeHosts.GitHub"), ("Tasks", "CodeHosts.GitLab"), ("Tasks", "Jobs"), ("Tasks", "Trust"),
        ("Trust", "CodeHosts.GitHub"), ("Trust", "CodeHosts.GitLab"), ("Trust", "Configuration"), ("Trust", "Ingest"),
        ("Trust", "Tasks"),
    ];

    [Fact]
    public void ServerFoldersFormNoNewCycle()
    {
        var graph = Server.Value;
        var inCycles = graph.Cycles().SelectMany(c => graph.EdgesAmong(c)).ToHashSet();
        var added = inCycles.Where(e => !CycleEdgesBeingCut.Contains(e)).ToList();
        Assert.True(added.Count == 0, $"\nThese dependencies close a cycle between folders:\n{graph.Describe(added, examples: 3)}");
        var cut = CycleEdgesBeingCut.Where(e => !inCycles.Contains(e)).ToList();
        Assert.True(cut.Count == 0, $"\nNo longer in a cycle (remove them from {nameof(CycleEdgesBeingCut)}): {string.Join(", ", cut)}");
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
