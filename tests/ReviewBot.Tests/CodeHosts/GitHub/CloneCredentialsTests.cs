using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitHub;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Tests.CodeHosts.GitHub.Auth;

namespace ReviewBot.Tests.CodeHosts.GitHub;

/// <summary>Clone tokens through the real auth registrations, against the fake GitHub.</summary>
public class CloneCredentialsTests
{
    private static CloneCredentials From(AuthHarness h) => new(
        h.Services.GetRequiredService<IOptions<GitHubOptions>>(), h.Clients, NullLogger<CloneCredentials>.Instance);

    [Fact]
    public async Task WithAToken_AnHttpsCloneUrlOnTheGitHubHostGetsIt()
    {
        await using var h = await AuthHarness.TokenAsync("t0k");

        Assert.Equal("t0k", await From(h).TokenForAsync($"https://{h.GitHub.ApiUrl.Host}/octo/repo.git", null, default));
    }

    [Theory]
    [InlineData("https://evil.example.com/octo/repo.git")]
    [InlineData("http://127.0.0.1/octo/repo.git")]
    [InlineData("file:///srv/git/repo.git")]
    [InlineData("git@127.0.0.1:octo/repo.git")]
    public async Task OtherHostsAndSchemes_GetNoToken(string cloneUrl)
    {
        await using var h = await AuthHarness.TokenAsync("t0k");

        Assert.Null(await From(h).TokenForAsync(cloneUrl, null, default));
    }

    [Fact]
    public async Task AsAGitHubApp_TheInstallationsTokenIsGiven_AndCached()
    {
        await using var h = await AuthHarness.AppAsync();
        var credentials = From(h);
        var url = $"https://{h.GitHub.ApiUrl.Host}/octo/repo.git";

        var first = await credentials.TokenForAsync(url, 42, default);
        var second = await credentials.TokenForAsync(url, 42, default);

        Assert.False(string.IsNullOrEmpty(first));
        Assert.Equal(first, second);
        Assert.Equal(1, h.GitHub.TokenRequests(42));
    }

    [Fact]
    public async Task AsAGitHubApp_WithoutAnInstallation_NoTokenIsGiven()
    {
        await using var h = await AuthHarness.AppAsync();

        Assert.Null(await From(h).TokenForAsync($"https://{h.GitHub.ApiUrl.Host}/octo/repo.git", null, default));
    }

    [Theory]
    [InlineData("https://api.github.com/", "https://github.com/octo/repo.git", true)]
    [InlineData("https://ghe.example.com/api/v3/", "https://ghe.example.com/octo/repo.git", true)]
    [InlineData("https://api.github.com/", "https://ghe.example.com/octo/repo.git", false)]
    public async Task TheGitHostFollowsTheApiSetting(string apiUrl, string cloneUrl, bool expected)
    {
        await using var h = await AuthHarness.TokenAsync("t0k", new Dictionary<string, string?> { ["ReviewBot:GitHub:ApiUrl"] = apiUrl });

        Assert.Equal(expected ? "t0k" : null, await From(h).TokenForAsync(cloneUrl, null, default));
    }

    [Fact]
    public async Task WithoutCredentials_NothingIsGiven()
    {
        var options = Options.Create(new GitHubOptions());
        var credentials = new CloneCredentials(options, new UnusedFactory(), NullLogger<CloneCredentials>.Instance);

        Assert.Null(await credentials.TokenForAsync("https://github.com/octo/repo.git", 1, default));
    }

    /// <summary>Without credentials the factory must never be asked.</summary>
    private sealed class UnusedFactory : IGitHubClientFactory
    {
        public bool IsApp => throw new InvalidOperationException("asked");
        public Task<Octokit.IGitHubClient> ForInstallationAsync(long? installationId, CancellationToken cancellationToken = default) => throw new InvalidOperationException("asked");
        public Task<Octokit.IConnection> ConnectionForInstallationAsync(long? installationId, CancellationToken cancellationToken = default) => throw new InvalidOperationException("asked");
        public Task<string> TokenForInstallationAsync(long? installationId, CancellationToken cancellationToken = default) => throw new InvalidOperationException("asked");
    }
}
