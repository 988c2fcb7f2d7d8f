using ReviewBot.Functions.Configuration;

namespace ReviewBot.Tests.Configuration;

/// <summary>How a linter's <c>nodeLabels</c> resolve: a label filter (a list means all of them), and-ed with the
/// organisation's and the repository's.</summary>
public class ConfigNodeLabelsTests
{
    private const string FixedContractExample = """
        linters:
          shellcheck:
            languages: [".sh", ".bash"]
            command: ["shellcheck"]
            args: ["-f", "gcc", "{files}"]
            env: { SHELLCHECK_OPTS: "-x" }
            workDir: "."
            format: gcc
            nodeLabels: "linux"
            timeout: 00:05:00
        repos:
          "myorg":
            nodeLabels: "!windows"
            linters:
              shellcheck: { enable: false }
          "myorg/myrepo":
            linters:
              shellcheck: { enable: true, args: ["-f", "gcc", "-S", "warning", "{files}"], nodeLabels: [linux, big] }
              golangci: { command: ["golangci-lint", "run"], languages: ["go"], format: checkstyle }
        """;

    [Fact]
    public void FixedContractExampleResolvesAsDescribed()
    {
        var config = ConfigLoader.Parse(FixedContractExample, "config.yaml");

        var elsewhere = Assert.Single(config.LintersFor("other/repo"));
        Assert.True(elsewhere.NodeLabels.Matches(["linux"]));
        Assert.False(elsewhere.NodeLabels.Matches(["windows"]));

        Assert.Empty(config.LintersFor("myorg/other"));

        var repo = config.LintersFor("MyOrg/MyRepo");
        Assert.Equal(["golangci", "shellcheck"], repo.Select(l => l.Name));
        var shellcheck = repo[1];
        Assert.Equal(["-f", "gcc", "-S", "warning", "{files}"], shellcheck.Args);
        Assert.Equal([".sh", ".bash"], shellcheck.Languages);
        Assert.Equal(("gcc", TimeSpan.FromMinutes(5)), (shellcheck.Format, shellcheck.Timeout));
        Assert.True(shellcheck.NodeLabels.Matches(["linux", "big"]));
        Assert.False(shellcheck.NodeLabels.Matches(["linux"]));
        Assert.False(shellcheck.NodeLabels.Matches(["linux", "big", "windows"]));

        var golangci = repo[0];
        Assert.Equal([".go"], golangci.Languages);
        Assert.Equal("checkstyle", golangci.Format);
        Assert.True(golangci.NodeLabels.Matches(["linux"]));
        Assert.False(golangci.NodeLabels.Matches(["windows"]));
    }

    [Fact]
    public void ListNodeLabelsMeansAllOfThem()
    {
        var linter = Assert.Single(ConfigLoader.Parse("linters: { go: { command: [go, vet], nodeLabels: [linux, go] } }", "c.yaml").LintersFor("o/r"));

        Assert.True(linter.NodeLabels.Matches(["linux", "go", "extra"]));
        Assert.False(linter.NodeLabels.Matches(["linux"]));
        Assert.False(linter.NodeLabels.Matches(["go"]));
    }

    [Fact]
    public void OrgAndRepoNodeLabelsAreAndedWithTheLintersOwn()
    {
        var config = ConfigLoader.Parse("""
            linters: { lint: { command: [lint], nodeLabels: "linux || darwin" } }
            repos:
              myorg: { nodeLabels: "!arm" }
              myorg/myrepo: { nodeLabels: [big] }
            """, "c.yaml");

        var filter = Assert.Single(config.LintersFor("myorg/myrepo")).NodeLabels;
        Assert.True(filter.Matches(["darwin", "big"]));
        Assert.False(filter.Matches(["darwin", "big", "arm"]));
        Assert.False(filter.Matches(["linux"]));
        Assert.False(filter.Matches(["windows", "big"]));
        Assert.True(Assert.Single(config.LintersFor("myorg/other")).NodeLabels.Matches(["linux"]));
    }

    [Fact]
    public void BadLabelFilterIsReportedAtTheValueWithTheFiltersPosition()
    {
        var errors = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            FixedContractExample.Replace("nodeLabels: \"linux\"", "nodeLabels: \"linux)\"").Replace("[linux, big]", "[linux, \"big &&\"]"),
            "config.yaml")).Errors;

        Assert.Collection(errors,
            e =>
            {
                Assert.Equal((9, 17), (e.Line, e.Column));
                Assert.Matches("""^linters\.shellcheck\.nodeLabels: .+ at position \d+ of "linux\)"$""", e.Message);
            },
            e =>
            {
                Assert.Equal((18, 104), (e.Line, e.Column));
                Assert.Matches("""^repos\.myorg/myrepo\.linters\.shellcheck\.nodeLabels\[1\]: .+ at position \d+ of "big &&"$""", e.Message);
            });
    }
}
