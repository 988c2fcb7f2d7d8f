using System.Text;
using ReviewBot.Agent.Workspaces;

namespace ReviewBot.Tests.Agent.Workspaces;

public class GitCredentialsTests
{
    [Fact]
    public void HttpsTokensTravelAsAnExtraHeaderScopedToTheOrigin()
    {
        var environment = GitCredentials.Environment("https://github.com/acme/widgets.git", "ghs_abc");

        Assert.Equal("1", environment["GIT_CONFIG_COUNT"]);
        Assert.Equal("http.https://github.com/.extraHeader", environment["GIT_CONFIG_KEY_0"]);
        var basic = environment["GIT_CONFIG_VALUE_0"]["Authorization: Basic ".Length..];
        Assert.Equal("x-access-token:ghs_abc", Encoding.UTF8.GetString(Convert.FromBase64String(basic)));
    }

    [Fact]
    public void AGitLabSourceSendsItsTokenWithUserOauth2()
    {
        var environment = GitCredentials.Environment("https://gitlab.example.com/group/project.git", "glpat-abc", "oauth2");

        Assert.Equal("http.https://gitlab.example.com/.extraHeader", environment["GIT_CONFIG_KEY_0"]);
        var basic = environment["GIT_CONFIG_VALUE_0"]["Authorization: Basic ".Length..];
        Assert.Equal("oauth2:glpat-abc", Encoding.UTF8.GetString(Convert.FromBase64String(basic)));
    }

    [Theory]
    [InlineData("http://github.com/acme/widgets.git", "t")]
    [InlineData("file:///tmp/repo.git", "t")]
    [InlineData("git@github.com:acme/widgets.git", "t")]
    [InlineData("https://github.com/acme/widgets.git", null)]
    public void NoTokenLeavesForOtherSchemesOrWithoutAToken(string url, string? token) =>
        Assert.Empty(GitCredentials.Environment(url, token));
}
