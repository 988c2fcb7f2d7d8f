using ReviewBot.Functions.Configuration;

namespace ReviewBot.Tests.Configuration;

/// <summary>A repository's .reviewbot.yml laid over the server's configuration, under its policy.</summary>
public sealed class RepositoryConfigTests
{
    private static readonly ReviewConfig Server = ConfigLoader.Parse("""
        linters:
          golint: { command: [golint], languages: [go], nodeLabels: linux, allowedArgs: ["--fast", "--enable=*"], args: ["run"] }
          shellcheck: { command: [shellcheck], languages: [sh] }
          spell: { command: [spell], enable: false }
        repos:
          trusted:
            allowRepoCommands: true
        """, "reviewbot.yaml");

    private static RepositoryConfig Parse(string yaml, string repository = "acme/app") => RepositoryConfig.Parse(Server, repository, yaml);

    [Fact]
    public void AllowedSettings_Apply_ArgsAddToTheServers_AndNodeLabelsOnlyNarrow()
    {
        var config = Parse("""
            linters:
              shellcheck: { enable: false }
              spell: { enable: true, paths: ["docs/"] }
              golint: { args: ["--fast", "--enable=gosec"], ignore: ["vendor/"], failOn: warning, nodeLabels: big, modules: auto }
            """);

        Assert.True(config.Applies);
        Assert.Equal(["golint", "spell"], config.Linters.Select(l => l.Name));
        var golint = config.Linters[0];
        Assert.Equal(["run", "--fast", "--enable=gosec"], golint.Args);
        Assert.Equal(["vendor/"], golint.Scope.Ignore);
        Assert.Equal(ReviewBot.Core.Review.FailLevel.Warning, golint.Report.FailOn);
        Assert.True(golint.NodeLabels.Matches(["linux", "big"]));
        Assert.False(golint.NodeLabels.Matches(["big"]));   // the server's 'linux' still holds
        Assert.Equal(["docs/"], config.Linters[1].Scope.Paths);
    }

    [Theory]
    [InlineData("linters: { golint: { command: [evil] } }", ".reviewbot.yml:1:22: linters.golint.command: 'command' decides what runs on the agents; a repository's file may set it only where the server's policy says allowRepoCommands: true")]
    [InlineData("linters: { golint: { env: { LD_PRELOAD: x } } }", "linters.golint.env: 'env' decides what runs on the agents")]
    [InlineData("linters: { golint: { timeout: 5h } }", "linters.golint.timeout: 'timeout' decides what runs on the agents")]
    [InlineData("linters:\n  mine: { command: [mine] }", ".reviewbot.yml:2:3: linters.mine: the server defines no linter 'mine' for acme/app (it defines: golint, shellcheck, spell)")]
    [InlineData("linters: { golint: { args: [--fast, --config=/etc/passwd] } }", ".reviewbot.yml:1:37: linters.golint.args[1]: '--config=/etc/passwd' is not an argument the server allows for 'golint' (allowedArgs: --fast, --enable=*)")]
    [InlineData("linters: { shellcheck: { args: [-x] } }", "linters.shellcheck.args[0]: the server allows no added arguments for 'shellcheck'")]
    [InlineData("linters: { golint: { allowedArgs: ['*'] } }", "linters.golint.allowedArgs: which arguments a repository may add is the server's decision")]
    [InlineData("trust: { forks: trusted }", ".reviewbot.yml:1:1: trust: trust settings are the server's; a repository's file cannot change them")]
    [InlineData("repos: { acme: {} }", "repos: a repository's file configures that repository only")]
    [InlineData("linters: { golint: { filter: everything } }", "linters.golint.filter: unknown filter 'everything'")]
    [InlineData("linters: [", ".reviewbot.yml:2:1: malformed YAML")]
    public void Refusals_NameFileLineAndColumn_AndTheServersLintersApply(string yaml, string error)
    {
        var config = Parse(yaml);

        Assert.False(config.Applies);
        Assert.Contains(config.Errors, e => e.ToString().Contains(error, StringComparison.Ordinal));
        Assert.Equal(["golint", "shellcheck"], config.Linters.Select(l => l.Name));
    }

    [Fact]
    public void WhereThePolicyAllowsRepoCommands_TheFileDefinesLintersAndCommands()
    {
        var config = Parse("""
            linters:
              mine: { command: [mine, --strict], languages: [py], timeout: 2m }
              golint: { args: [--anything] }
            """, "trusted/app");

        Assert.True(config.Applies, string.Join("\n", config.Errors));
        Assert.Equal(["golint", "mine", "shellcheck"], config.Linters.Select(l => l.Name));
        Assert.Equal(["mine", "--strict"], config.Linters[1].Command);
        Assert.Equal(["run", "--anything"], config.Linters[0].Args);
    }

    [Fact]
    public void TheServersPolicySettingIsChecked() =>
        Assert.Contains("repos.acme.allowRepoCommands: expected true or false",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("repos: { acme: { allowRepoCommands: sometimes } }", "c.yaml")).Message);
}
