using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Tests.Configuration;

// The trust: section: top level, then org, then repository, field by field; every error at its file:line:column.
public class ConfigTrustTests
{
    private static ReviewConfig Parse(string yaml) => ConfigLoader.Parse(yaml, "config.yaml");

    private static ConfigError SingleError(string yaml) =>
        Assert.Single(Assert.Throws<ConfigException>(() => Parse(yaml)).Errors);

    [Fact]
    public void WithoutATrustSection_UntrustedForksWaitForOkToTest_EveryPush()
    {
        var policy = Parse("linters: {}").TrustFor("any/repo");

        Assert.Equal(TrustPolicy.Default, policy);
        Assert.Equal((ForkPolicy.RequireApproval, UntrustedPolicy.ApproveEveryPush, "/ok-to-test", null, ""),
            (policy.Forks, policy.Untrusted, policy.OkToTest, policy.Label, policy.NodeLabels));
    }

    [Fact]
    public void RepositoryOverridesOrgOverridesTopLevel_FieldByField()
    {
        var config = Parse("""
            trust:
              okToTest: /safe-to-run
              nodeLabels: sandbox
            repos:
              myorg:
                trust:
                  untrusted: trust-after-first-approval
                  label: ok-to-test
              myorg/open:
                trust:
                  forks: run-untrusted
                  nodeLabels: [sandbox, linux]
              myorg/nolabel:
                trust: { label: "" }
            """);

        Assert.Equal(new TrustPolicy(ForkPolicy.RunUntrusted, UntrustedPolicy.TrustAfterFirstApproval, "/safe-to-run", "ok-to-test", "(sandbox) && (linux)"),
            config.TrustFor("MyOrg/Open"));
        Assert.Equal(new TrustPolicy(ForkPolicy.RequireApproval, UntrustedPolicy.TrustAfterFirstApproval, "/safe-to-run", "ok-to-test", "sandbox"),
            config.TrustFor("myorg/unlisted"));
        Assert.Null(config.TrustFor("myorg/nolabel").Label);
        Assert.Equal(new TrustPolicy(ForkPolicy.RequireApproval, UntrustedPolicy.ApproveEveryPush, "/safe-to-run", null, "sandbox"),
            config.TrustFor("other/repo"));
    }

    [Fact]
    public void UnknownForksValue_IsNamedWithTheValuesThatExist()
    {
        var error = SingleError("""
            repos:
              myorg:
                trust:
                  forks: allow
            """);

        Assert.Equal(("config.yaml", 4, 14), (error.File, error.Line, error.Column));
        Assert.Equal("repos.myorg.trust.forks: unknown value 'allow' (expected one of: require-approval, run-untrusted, trusted)", error.Message);
    }

    [Fact]
    public void UnknownUntrustedValue_IsNamed()
    {
        var error = SingleError("""
            trust:
              untrusted: always
            """);

        Assert.Equal((2, 14), (error.Line, error.Column));
        Assert.Equal("trust.untrusted: unknown value 'always' (expected one of: approve-every-push, trust-after-first-approval)", error.Message);
    }

    [Fact]
    public void UnknownTrustKey_SuggestsTheOneItResembles()
    {
        var error = SingleError("""
            trust:
              oktotest: /go
            """);

        Assert.Equal((2, 3), (error.Line, error.Column));
        Assert.Equal("trust.oktotest: unknown trust setting 'oktotest' (did you mean 'okToTest'?)", error.Message);
    }

    [Theory]
    [InlineData("ok-to-test")]
    [InlineData("/ok to test")]
    [InlineData("/")]
    [InlineData("/-x")]
    public void ACommandThatIsNotASlashAndAWord_IsRefused(string command)
    {
        var error = SingleError($"trust:\n  okToTest: \"{command}\"\n");

        Assert.Equal((2, 13), (error.Line, error.Column));
        Assert.StartsWith($"trust.okToTest: '{command}' is not a command", error.Message);
    }

    [Fact]
    public void ALabelLongerThanGitHubAllows_IsRefused()
    {
        var error = SingleError($"trust:\n  label: {new string('x', 51)}\n");

        Assert.Equal((2, 10), (error.Line, error.Column));
        Assert.Equal("trust.label: a label name has at most 50 characters and no control characters", error.Message);
    }

    [Fact]
    public void AnInvalidNodeLabelsFilter_IsRefusedWithItsPosition()
    {
        var error = SingleError("""
            repos:
              myorg/myrepo:
                trust:
                  nodeLabels: "sandbox &&"
            """);

        Assert.Equal((4, 19), (error.Line, error.Column));
        Assert.StartsWith("repos.myorg/myrepo.trust.nodeLabels:", error.Message);
    }

    [Fact]
    public void TrustThatIsNotAMapping_IsRefused()
    {
        var error = SingleError("trust: yes\n");

        Assert.Equal((1, 8), (error.Line, error.Column));
        Assert.StartsWith("trust: expected a mapping of trust settings", error.Message);
    }
}
