using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Paths;

namespace ReviewBot.Tests.Core.Paths;

public sealed class ChangePlannerTests
{
    private static readonly PathScope Everything = new([], []);

    [Fact]
    public void LinterWithoutModules_GetsOneRun_OfTheCountedFiles_OrNoneWhenNoneCount()
    {
        var scope = new PathScope(["src/"], ["**/generated/"]);

        var run = Assert.Single(ChangePlanner.Plan(["src/a.go", "src/generated/b.go", "docs/c.go", "src/d.md"], [".go"], scope, null));
        Assert.Null(run.Module);
        Assert.Equal(["src/a.go"], run.Files);
        Assert.Empty(ChangePlanner.Plan(["src/generated/b.go", "docs/c.go"], [".go"], scope, null));
    }

    [Fact]
    public void Modules_EachModuleWithChangedFilesGetsARun_AFileBelongsToItsDeepestModule()
    {
        string[] modules = ["", "svc/a", "svc/a/plugin", "svc/b", "lib"];

        var runs = ChangePlanner.Plan(["svc/a/main.go", "svc/a/plugin/p.go", "lib/util.go", "tools.go"], [".go"], Everything, modules);

        Assert.Equal(["", "lib", "svc/a", "svc/a/plugin"], runs.Select(r => r.Module));
        Assert.Equal(["svc/a/main.go"], runs.Single(r => r.Module == "svc/a").Files);
        Assert.Equal(["svc/a/plugin"], runs.Single(r => r.Module == "svc/a").NestedModules);
        Assert.Equal(["lib", "svc/a", "svc/a/plugin"], runs.Single(r => r.Module == "").NestedModules);
        Assert.Equal(["tools.go"], runs.Single(r => r.Module == "").Files);
    }

    [Fact]
    public void FilesInNoModule_AreNotReviewed() =>
        Assert.Empty(ChangePlanner.Plan(["README.go"], [], Everything, ["svc/a"]));

    [Fact]
    public void DetectModules_FindsTheDirectoriesOfMarkerFiles_ByName()
    {
        string[] files = ["go.mod", "svc/a/go.mod", "svc/a/main.go", "web/package.json", "tools/App/App.csproj", "docs/go.mod.md", "svc/go.mod/readme"];

        Assert.Equal(["", "svc/a", "tools/App", "web"], ChangePlanner.DetectModules(files, ModuleSetting.DefaultMarkers));
        Assert.Equal(["", "svc/a"], ChangePlanner.DetectModules(files, ["go.mod"]));
    }
}
