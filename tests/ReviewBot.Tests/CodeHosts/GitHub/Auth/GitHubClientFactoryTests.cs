namespace ReviewBot.Tests.CodeHosts.GitHub.Auth;

public class GitHubClientFactoryTests
{
    [Fact]
    public async Task Enterprise_PathBaseIsHonoured()
    {
        await using var h = await AuthHarness.AppAsync("/api/v3");

        var client = await h.Clients.ForInstallationAsync(11).WithTimeout(Timeouts.Short, "client");

        Assert.Equal(h.GitHub.ApiUrl, client.Connection.BaseAddress);
        Assert.EndsWith("/api/v3/", client.Connection.BaseAddress.AbsolutePath);
        var request = Assert.Single(h.GitHub.Requests);
        Assert.Equal(("POST", "/api/v3/app/installations/11/access_tokens"), (request.Method, request.Path));
        Assert.StartsWith("Bearer ", request.Authorization);
    }

    [Fact]
    public async Task AppMode_GivesTheInstallationToken()
    {
        await using var h = await AuthHarness.AppAsync();

        var client = await h.Clients.ForInstallationAsync(12).WithTimeout(Timeouts.Short, "client");

        Assert.True(h.Clients.IsApp);
        Assert.True(h.GitHub.IssuedTokens.TryGetValue(client.Connection.Credentials.Password, out var issued));
        Assert.Equal(12, issued.InstallationId);
    }

    [Fact]
    public async Task AppMode_WithoutInstallationId_FailsClearly()
    {
        await using var h = await AuthHarness.AppAsync();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => h.Clients.ForInstallationAsync(null));

        Assert.Contains("installation id", e.Message);
        Assert.Empty(h.GitHub.Requests);
    }

    [Fact]
    public async Task TokenMode_NeedsNoInstallationId()
    {
        await using var h = await AuthHarness.TokenAsync("ghp_configured");

        var client = await h.Clients.ForInstallationAsync(null).WithTimeout(Timeouts.Short, "client");

        Assert.False(h.Clients.IsApp);
        Assert.Equal("ghp_configured", client.Connection.Credentials.Password);
        Assert.Equal(h.GitHub.ApiUrl, client.Connection.BaseAddress);
        Assert.Empty(h.GitHub.Requests);
    }
}
