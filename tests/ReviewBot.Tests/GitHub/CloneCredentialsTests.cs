using Microsoft.Extensions.Options;
using ReviewBot.Functions.GitHub;
using ReviewBot.Functions.Webhooks;

namespace ReviewBot.Tests.GitHub;

public class CloneCredentialsTests
{
    private static CloneCredentials With(string? token, string apiUrl = "https://api.github.com/") =>
        new(Options.Create(new GitHubWebhookOptions { Token = token, ApiUrl = new Uri(apiUrl) }));

    [Fact]
    public void GitHubComCloneUrl_GetsTheToken() =>
        Assert.Equal("t0k", With("t0k").TokenFor("https://github.com/octo/repo.git"));

    [Fact]
    public void EnterpriseCloneUrl_GetsTheTokenWhenTheApiIsOnTheSameHost() =>
        Assert.Equal("t0k", With("t0k", "https://ghe.example.com/api/v3/").TokenFor("https://ghe.example.com/octo/repo.git"));

    [Theory]
    [InlineData("https://evil.example.com/octo/repo.git")]
    [InlineData("http://github.com/octo/repo.git")]
    [InlineData("file:///srv/git/repo.git")]
    [InlineData("git@github.com:octo/repo.git")]
    public void OtherHostsAndSchemes_GetNoToken(string cloneUrl) =>
        Assert.Null(With("t0k").TokenFor(cloneUrl));

    [Fact]
    public void WithoutAToken_NothingIsGiven() =>
        Assert.Null(With(null).TokenFor("https://github.com/octo/repo.git"));
}
