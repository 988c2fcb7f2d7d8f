using ReviewBot.Core.Paths;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Tests.Configuration;

/// <summary>A linter's paths, ignore, modules and moduleMarkers.</summary>
public sealed class ConfigPathsTests
{
    [Fact]
    public void PathsIgnoreAndModules_AreRead_AndARepositoryOverridesThem()
    {
        var config = ConfigLoader.Parse("""
            linters:
              golint: { command: [golint], paths: ["svc/", "!svc/legacy/"], ignore: ["**/*_test.go"], modules: auto }
            repos:
              acme/mono:
                linters:
                  golint: { modules: [svc/a, "./svc/b", "."], moduleMarkers: [go.work] }
            """, "c.yaml");

        var global = config.LintersFor("other/repo").Single();
        Assert.Equal(["svc/", "!svc/legacy/"], global.Scope.Paths);
        Assert.Equal(["**/*_test.go"], global.Scope.Ignore);
        Assert.Equal(ModuleSetting.Detect, global.Modules);
        Assert.Equal(ModuleSetting.DefaultMarkers, global.ModuleMarkers);

        var mono = config.LintersFor("acme/mono").Single();
        Assert.Equal(["svc/a", "svc/b", ""], mono.Modules!.Directories);
        Assert.False(mono.Modules.Auto);
        Assert.Equal(["go.work"], mono.ModuleMarkers);
        Assert.Equal(["**/*_test.go"], mono.Scope.Ignore);
    }

    [Fact]
    public void LinterWithoutThem_HasNoScopeAndNoModules()
    {
        var linter = ConfigLoader.Parse("linters: { lint: { command: [lint] } }", "c.yaml").LintersFor("o/r").Single();
        Assert.Empty(linter.Scope.Paths);
        Assert.Empty(linter.Scope.Ignore);
        Assert.Null(linter.Modules);
    }

    [Theory]
    [InlineData("paths: [\"src/[a-z\"]", "linters.lint.paths: 'src/[a-z': a '[' is not closed by ']'")]
    [InlineData("ignore: [\"# x\"]", "linters.lint.ignore: '# x': a pattern starting with '#' is a comment")]
    [InlineData("modules: all", "linters.lint.modules: expected 'auto' or a list of module directories, found 'all'")]
    [InlineData("modules: [../other]", "linters.lint.modules: '../other' is not a directory inside the repository")]
    [InlineData("modules: [\"svc/*\"]", "'svc/*' is not a directory inside the repository")]
    [InlineData("moduleMarkers: [\"a/go.mod\"]", "linters.lint.moduleMarkers: 'a/go.mod' is not a file name pattern")]
    [InlineData("modules: auto, workDir: svc", "linters.lint: 'modules' and 'workDir' exclude each other")]
    public void BadPathSettings_AreReportedWithTheirPosition(string settings, string error)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse($"linters: {{ lint: {{ command: [lint], {settings} }} }}", "c.yaml"));
        Assert.Contains(error, ex.Message);
    }
}
