using ReviewBot.Functions.Configuration;

namespace ReviewBot.Tests.Configuration;

/// <summary>The effective configuration of a repository with the origin of every value: built-in defaults, the server
/// file's levels (with their lines) and the repository's own file (with its lines).</summary>
public sealed class EffectiveConfigResolverTests
{
    private static readonly ReviewConfig Server = ConfigLoader.Parse("""
        linters:
          golint:
            command: [golint]
            args: [run]
            nodeLabels: linux
            allowedArgs: ["--fast"]
          shellcheck: { command: [shellcheck], languages: [sh] }
        repos:
          acme:
            nodeLabels: "!windows"
            linters:
              golint: { failOn: warning }
          acme/app:
            report: checks
            allowRepoCommands: false
            linters:
              shellcheck: { enable: false }
        """, "reviewbot.yaml");

    private static EffectiveConfig Resolve(string? file, string repository = "acme/app") =>
        EffectiveConfigResolver.Resolve(Server, repository,
            file is null ? RepositoryConfig.ServerOnly(Server, repository) : RepositoryConfig.Parse(Server, repository, file));

    private static EffectiveValue Setting(EffectiveConfig config, string linter, string key) =>
        config.Linters.Single(l => l.Name == linter).Settings[key];

    private static void Is(EffectiveValue actual, object value, params ValueOrigin[] from)
    {
        Assert.Equal(value, actual.Value);
        Assert.Equal(from, actual.From);
    }

    [Fact]
    public void EachValue_NamesTheServerLevelThatSetIt_WithItsLine_OrTheBuiltInDefault()
    {
        var config = Resolve(file: null);

        Assert.Equal([new ValueOrigin("server default", null, "reviewbot.yaml:3:5")], Setting(config, "golint", "command").From);
        Is(Setting(config, "golint", "failOn"), "warning", new ValueOrigin("org", "acme", "reviewbot.yaml:12:17"));
        Is(Setting(config, "golint", "report"), "checks", new ValueOrigin("repo", "acme/app", "reviewbot.yaml:14:5"));
        Is(Setting(config, "golint", "filter"), "added", new ValueOrigin("built-in default"));
        Assert.Equal("00:10:00", Setting(config, "golint", "timeout").Value);
        // nodeLabels are ANDed: the org's repo-wide filter and the linter's own.
        Assert.Equal([new ValueOrigin("org", "acme", "reviewbot.yaml:10:5"), new ValueOrigin("server default", null, "reviewbot.yaml:5:5")],
            Setting(config, "golint", "nodeLabels").From);
        var shellcheck = config.Linters.Single(l => l.Name == "shellcheck");
        Is(shellcheck.Enabled, false, new ValueOrigin("repo", "acme/app", "reviewbot.yaml:17:21"));
        Is(config.Policy.AllowRepoCommands, false, new ValueOrigin("repo", "acme/app", "reviewbot.yaml:15:5"));
        Assert.Equal(["--fast"], (IEnumerable<string>)config.Policy.AllowedArgs["golint"].Value!);
    }

    [Fact]
    public void ARepositoryFilesOverride_IsShownWithItsFileLineAndColumn()
    {
        var config = Resolve("""
            linters:
              shellcheck: { enable: true }
              golint:
                filter: diff_context
                args: ["--fast"]
                nodeLabels: big
            """);

        Assert.Empty(config.Errors);
        Is(Setting(config, "golint", "filter"), "diff_context", new ValueOrigin("repository file", null, ".reviewbot.yml:4:5"));
        Assert.Equal(["run", "--fast"], (IEnumerable<string>)Setting(config, "golint", "args").Value!);
        Assert.Equal([new ValueOrigin("server default", null, "reviewbot.yaml:4:5"), new ValueOrigin("repository file", null, ".reviewbot.yml:5:5")],
            Setting(config, "golint", "args").From);
        Assert.Equal(new ValueOrigin("repository file", null, ".reviewbot.yml:6:5"), Setting(config, "golint", "nodeLabels").From[^1]);
        var shellcheck = config.Linters.Single(l => l.Name == "shellcheck");
        Is(shellcheck.Enabled, true, new ValueOrigin("repository file", null, ".reviewbot.yml:2:17"));
    }

    [Fact]
    public void ARefusedRepositoryFile_ListsItsErrors_AndNoValueComesFromIt()
    {
        var config = Resolve("linters:\n  golint: { filter: file, command: [evil] }\n");

        var error = Assert.Single(config.Errors);
        Assert.Equal((".reviewbot.yml", 2, 27), (error.File, error.Line, error.Column));
        Assert.Equal("added", Setting(config, "golint", "filter").Value);
        Assert.DoesNotContain(config.Linters.SelectMany(l => l.Settings.Values.SelectMany(v => v.From).Append(l.Enabled.From[0])), o => o.Source == "repository file");
    }
}
