using Microsoft.AspNetCore.Http;

namespace ReviewBot.Tests.CodeHosts.GitHub.Auth;

/// <summary>The fake's own credential check, which the reporting fakes rely on.</summary>
public class FakeGitHubAuthTests
{
    private static HttpRequest Request(string authorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = authorization;
        return context.Request;
    }

    [Fact]
    public async Task IssuedInstallationTokens_AreAcceptedUntilTheyExpire()
    {
        await using var h = await AuthHarness.AppAsync();
        var token = await h.Clients.TokenForInstallationAsync(3).WithTimeout(Timeouts.Short, "token");

        Assert.Null(h.GitHub.Unauthorized(Request($"token {token}")));
        Assert.Null(h.GitHub.Unauthorized(Request($"Bearer {token}")));
        Assert.NotNull(h.GitHub.Unauthorized(Request("token ghs_forged")));
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.NotNull(h.GitHub.Unauthorized(Request($"token {token}")));
    }
}
