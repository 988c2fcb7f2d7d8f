namespace ReviewBot.Tests.CodeHosts.GitHub.Auth;

public class InstallationTokensTests
{
    [Fact]
    public async Task Token_IsFetchedOnceAndCached()
    {
        await using var h = await AuthHarness.AppAsync();

        var first = await h.Tokens.GetAsync(7).WithTimeout(Timeouts.Short, "token");
        h.Time.Advance(TimeSpan.FromMinutes(50));
        var second = await h.Tokens.GetAsync(7).WithTimeout(Timeouts.Short, "token");

        Assert.Equal(first.Value, second.Value);
        Assert.Equal(1, h.GitHub.TokenRequests(7));
        Assert.Equal(h.GitHub.IssuedTokens[first.Value].ExpiresAt, first.ExpiresAt);
    }

    [Fact]
    public async Task Token_IsRefreshedWithinFiveMinutesOfExpiry()
    {
        await using var h = await AuthHarness.AppAsync();

        var first = await h.Tokens.GetAsync(7).WithTimeout(Timeouts.Short, "token");
        h.Time.Advance(TimeSpan.FromMinutes(55));
        var second = await h.Tokens.GetAsync(7).WithTimeout(Timeouts.Short, "token");

        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(2, h.GitHub.TokenRequests(7));
        Assert.True(second.ExpiresAt - h.Time.GetUtcNow() > TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Installations_HaveTokensOfTheirOwn()
    {
        await using var h = await AuthHarness.AppAsync();

        var a = await h.Tokens.GetAsync(1).WithTimeout(Timeouts.Short, "token 1");
        var b = await h.Tokens.GetAsync(2).WithTimeout(Timeouts.Short, "token 2");

        Assert.NotEqual(a.Value, b.Value);
        Assert.Equal((1, 1), (h.GitHub.TokenRequests(1), h.GitHub.TokenRequests(2)));
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOneRequest()
    {
        await using var h = await AuthHarness.AppAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.GitHub.TokenGate = gate.Task; // no answer until all 20 callers are waiting

        var pending = Enumerable.Range(0, 20).Select(_ => h.Tokens.GetAsync(9)).ToList();
        gate.SetResult();
        var tokens = await Task.WhenAll(pending).WithTimeout(Timeouts.Short, "20 concurrent token requests");

        Assert.Single(tokens.Select(t => t.Value).Distinct());
        Assert.Equal(1, h.GitHub.TokenRequests(9));
    }

    [Fact]
    public async Task AFailedRequest_IsNotCached()
    {
        await using var h = await AuthHarness.AppAsync();
        h.GitHub.AppId = 1; // the fake now expects another issuer: 401

        await Assert.ThrowsAsync<Octokit.AuthorizationException>(() => h.Tokens.GetAsync(3).WithTimeout(Timeouts.Short, "refused token"));
        h.GitHub.AppId = 4242;
        var token = await h.Tokens.GetAsync(3).WithTimeout(Timeouts.Short, "token");

        Assert.NotEmpty(token.Value);
        Assert.Equal(2, h.GitHub.TokenRequests(3));
    }

    [Fact]
    public async Task ATokenGitHubRefuses_IsDropped_SoTheNextCallGetsANewOne()
    {
        await using var h = await AuthHarness.AppAsync();
        var client = await h.Clients.ForInstallationAsync(7).WithTimeout(Timeouts.Short, "client");
        await client.Repository.Status.GetAll("octo", "repo", "main").WithTimeout(Timeouts.Short, "a call with the first token");
        var revoked = client.Connection.Credentials.Password;
        h.GitHub.RevokeToken(revoked);

        await Assert.ThrowsAsync<Octokit.AuthorizationException>(() => client.Repository.Status.GetAll("octo", "repo", "main").WithTimeout(Timeouts.Short, "a refused call"));
        var next = await h.Clients.ForInstallationAsync(7).WithTimeout(Timeouts.Short, "client");
        await next.Repository.Status.GetAll("octo", "repo", "main").WithTimeout(Timeouts.Short, "a call with a new token");

        Assert.NotEqual(revoked, next.Connection.Credentials.Password);
        Assert.Equal(2, h.GitHub.TokenRequests(7));
    }

    [Fact]
    public async Task ARefusalOfAnOldToken_KeepsTheNewerOneCached()
    {
        await using var h = await AuthHarness.AppAsync();
        var old = await h.Clients.ForInstallationAsync(7).WithTimeout(Timeouts.Short, "client");
        h.Time.Advance(TimeSpan.FromMinutes(55));
        var current = await h.Clients.ForInstallationAsync(7).WithTimeout(Timeouts.Short, "client with a refreshed token");
        h.Time.Advance(TimeSpan.FromMinutes(6)); // the old token expired

        await Assert.ThrowsAsync<Octokit.AuthorizationException>(() => old.Repository.Status.GetAll("octo", "repo", "main").WithTimeout(Timeouts.Short, "a refused call"));
        var again = await h.Tokens.GetAsync(7).WithTimeout(Timeouts.Short, "token");

        Assert.Equal(current.Connection.Credentials.Password, again.Value);
        Assert.Equal(2, h.GitHub.TokenRequests(7));
    }

    [Fact]
    public async Task AVeryLongOpaqueToken_IsUsedAsIs()
    {
        await using var h = await AuthHarness.AppAsync();
        var longToken = "ghs_4242_" + new string('x', 4000) + ".sig-_~+/=";
        h.GitHub.TokenFactory = (_, _) => longToken;

        var token = await h.Clients.TokenForInstallationAsync(5).WithTimeout(Timeouts.Short, "token");
        var connection = await h.Clients.ConnectionForInstallationAsync(5).WithTimeout(Timeouts.Short, "connection");

        Assert.Equal(longToken, token);
        Assert.Equal(longToken, connection.Credentials.Password);
    }

    [Fact]
    public async Task ToString_HidesTheToken()
    {
        await using var h = await AuthHarness.AppAsync();

        var token = await h.Tokens.GetAsync(7).WithTimeout(Timeouts.Short, "token");

        Assert.DoesNotContain(token.Value, token.ToString());
        Assert.DoesNotContain(token.Value, $"{token}");
    }
}
