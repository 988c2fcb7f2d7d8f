using ReviewBot.Core.Labels;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Tests.Configuration;

// How org and repo sections override the global linters. None of these files has nodeLabels, so none needs the label filter.
public class ReviewConfigResolutionTests
{
    private static ReviewConfig Parse(string yaml) => ConfigLoader.Parse(yaml, "config.yaml");

    private static ResolvedLinter Single(ReviewConfig config, string repository, string name) =>
        Assert.Single(config.LintersFor(repository), l => l.Name == name);

    [Fact]
    public void FixedContractFieldsAreReadAsWritten()
    {
        var config = Parse("""
            linters:
              shellcheck:
                languages: [".sh", ".bash"]
                command: ["shellcheck"]
                args: ["-f", "gcc", "{files}"]
                env: { SHELLCHECK_OPTS: "-x" }
                workDir: "."
                format: gcc
                timeout: 00:05:00
            """);

        var linter = Assert.Single(config.LintersFor("any/repo"));
        Assert.Equal("shellcheck", linter.Name);
        Assert.Equal([".sh", ".bash"], linter.Languages);
        Assert.Equal(["shellcheck"], linter.Command);
        Assert.Equal(["-f", "gcc", "{files}"], linter.Args);
        Assert.Equal("-x", Assert.Single(linter.Env, e => e.Key == "SHELLCHECK_OPTS").Value);
        Assert.Equal(".", linter.WorkDir);
        Assert.Equal("gcc", linter.Format);
        Assert.Equal(TimeSpan.FromMinutes(5), linter.Timeout);
        Assert.Same(LabelFilter.Empty, linter.NodeLabels);
    }

    [Fact]
    public void UnsetFieldsTakeTheDefaults()
    {
        var linter = Assert.Single(Parse("linters: { dotnet-format: { command: [dotnet, format] } }").LintersFor("o/r"));

        Assert.Empty(linter.Languages);
        Assert.Empty(linter.Args);
        Assert.Empty(linter.Env);
        Assert.Null(linter.WorkDir);
        Assert.Equal("auto", linter.Format);
        Assert.Equal(TimeSpan.FromMinutes(10), linter.Timeout);
        Assert.Same(LabelFilter.Empty, linter.NodeLabels);
    }

    [Fact]
    public void OrgOverridesGlobalThenRepoOverridesOrgFieldByField()
    {
        var config = Parse("""
            linters:
              lint: { command: [lint], args: [global], format: gcc, timeout: 1m, workDir: src }
            repos:
              myorg:
                linters:
                  lint: { args: [org], timeout: 2m }
              myorg/myrepo:
                linters:
                  lint: { args: [repo] }
            """);

        var repo = Single(config, "myorg/myrepo", "lint");
        Assert.Equal(["repo"], repo.Args);
        Assert.Equal((TimeSpan.FromMinutes(2), "gcc", "src"), (repo.Timeout, repo.Format, repo.WorkDir));
        var orgRepo = Single(config, "myorg/other", "lint");
        Assert.Equal(["org"], orgRepo.Args);
        Assert.Equal(TimeSpan.FromMinutes(2), orgRepo.Timeout);
        var elsewhere = Single(config, "someone/else", "lint");
        Assert.Equal(["global"], elsewhere.Args);
        Assert.Equal(TimeSpan.FromMinutes(1), elsewhere.Timeout);
    }

    [Fact]
    public void AGitLabProjectInSubgroups_IsAReposKey_OverridingItsTopGroup()
    {
        var config = Parse("""
            linters:
              lint: { command: [lint], args: [global] }
            repos:
              group:
                linters:
                  lint: { args: [group] }
              group/sub/project:
                linters:
                  lint: { args: [project] }
            """);

        Assert.Equal(["project"], Single(config, "group/sub/project", "lint").Args);
        Assert.Equal(["group"], Single(config, "group/sub/other", "lint").Args);
        Assert.Equal(["global"], Single(config, "elsewhere/project", "lint").Args);
    }

    [Fact]
    public void EnvMapsMergeWithTheMoreSpecificLevelWinning()
    {
        var config = Parse("""
            linters:
              lint: { command: [lint], env: { A: global, B: global } }
            repos:
              myorg: { linters: { lint: { env: { B: org, C: org } } } }
              myorg/myrepo: { linters: { lint: { env: { C: repo } } } }
            """);

        var env = Single(config, "myorg/myrepo", "lint").Env;
        Assert.Equal(
            [new("A", "global"), new("B", "org"), new("C", "repo")],
            env.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray<KeyValuePair<string, string>>());
    }

    [Fact]
    public void EmptyListAtAMoreSpecificLevelReplacesTheLessSpecificOne()
    {
        var config = Parse("""
            linters: { lint: { command: [lint], args: [-v], languages: [go] } }
            repos: { myorg/myrepo: { linters: { lint: { args: [], languages: [] } } } }
            """);

        var linter = Single(config, "myorg/myrepo", "lint");
        Assert.Empty(linter.Args);
        Assert.Empty(linter.Languages);
    }

    [Fact]
    public void DisabledLinterIsAbsentUntilAMoreSpecificLevelEnablesIt()
    {
        var config = Parse("""
            linters:
              shellcheck: { command: [shellcheck] }
              slow: { command: [slow], enable: false }
            repos:
              myorg:
                linters: { shellcheck: { enable: false } }
              myorg/myrepo:
                linters: { shellcheck: { enable: true }, slow: { enable: true } }
            """);

        Assert.Equal(["shellcheck"], config.LintersFor("other/repo").Select(l => l.Name));
        Assert.Empty(config.LintersFor("myorg/other"));
        Assert.Equal(["shellcheck", "slow"], config.LintersFor("myorg/myrepo").Select(l => l.Name));
    }

    [Fact]
    public void OrgOrRepoSectionCanDefineALinterThatHasNoGlobalDefinition()
    {
        var config = Parse("""
            linters: { shellcheck: { command: [shellcheck] } }
            repos:
              myorg:
                linters: { orgonly: { command: [orgonly], timeout: 30s } }
              myorg/myrepo:
                linters:
                  orgonly: { args: [-x] }
                  golangci: { command: [golangci-lint, run], languages: [go] }
            """);

        Assert.Equal(["shellcheck"], config.LintersFor("other/repo").Select(l => l.Name));
        Assert.Equal(["orgonly", "shellcheck"], config.LintersFor("myorg/other").Select(l => l.Name));
        Assert.Equal(["golangci", "orgonly", "shellcheck"], config.LintersFor("myorg/myrepo").Select(l => l.Name));
        var orgOnly = Single(config, "myorg/myrepo", "orgonly");
        Assert.Equal(["orgonly"], orgOnly.Command);
        Assert.Equal(["-x"], orgOnly.Args);
        Assert.Equal(TimeSpan.FromSeconds(30), orgOnly.Timeout);
        Assert.Equal([".go"], Single(config, "myorg/myrepo", "golangci").Languages);
    }

    [Fact]
    public void RepositoryKeysMatchIgnoringCase()
    {
        var config = Parse("""
            linters: { lint: { command: [lint] } }
            repos:
              MyOrg: { linters: { lint: { args: [org] } } }
              MyOrg/MyRepo: { linters: { lint: { args: [repo] } } }
            """);

        Assert.Equal(["repo"], Single(config, "myorg/myrepo", "lint").Args);
        Assert.Equal(["repo"], Single(config, "MYORG/MYREPO", "lint").Args);
        Assert.Equal(["org"], Single(config, "myorg/other", "lint").Args);
    }

    [Fact]
    public void LintersComeInNameOrderAndLinterNamesListsEveryLevel()
    {
        var config = Parse("""
            linters: { zeta: { command: [z] }, alpha: { command: [a], enable: false }, mid: { command: [m] } }
            repos: { o/r: { linters: { extra: { command: [e] } } } }
            """);

        Assert.Equal(["mid", "zeta"], config.LintersFor("x/y").Select(l => l.Name));
        Assert.Equal(["alpha", "extra", "mid", "zeta"], config.LinterNames);
    }

    [Theory]
    [InlineData("00:05:00", 300)]
    [InlineData("5m", 300)]
    [InlineData("90s", 90)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.00:00:00", 86400)]
    public void TimeoutAcceptsTimeSpanAndUnitForms(string timeout, int seconds)
    {
        var linter = Assert.Single(Parse($"linters: {{ lint: {{ command: [lint], timeout: \"{timeout}\" }} }}").LintersFor("o/r"));

        Assert.Equal(TimeSpan.FromSeconds(seconds), linter.Timeout);
    }

    [Fact]
    public void LanguagesAreLowerCasedWithALeadingDotAndWithoutDuplicates()
    {
        var linter = Assert.Single(Parse("linters: { lint: { command: [lint], languages: [sh, .BASH, Sh, .d.ts] } }").LintersFor("o/r"));

        Assert.Equal([".sh", ".bash", ".d.ts"], linter.Languages);
    }

    [Fact]
    public void FormatIsMatchedIgnoringCase()
    {
        var linter = Assert.Single(Parse("linters: { lint: { command: [lint], format: SARIF } }").LintersFor("o/r"));

        Assert.Equal("sarif", linter.Format);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing configured yet\n")]
    [InlineData("linters:\nrepos:\n")]
    public void EmptyFileOrSectionsMeanNoLinters(string yaml)
    {
        var config = Parse(yaml);

        Assert.Empty(config.LintersFor("o/r"));
        Assert.Empty(config.LinterNames);
    }

    [Fact]
    public void EmptyConfigHasNoLinters() => Assert.Empty(ReviewConfig.Empty.LintersFor("o/r"));
}
