using System.Net;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;

namespace ReviewBot.Tests.CodeHosts.GitHub.Auth;

public class GitHubRateLimitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage Response(HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    [Fact]
    public void RetryAfter_IsHonoured()
    {
        using var r = Response(HttpStatusCode.Forbidden, ("Retry-After", "42"));
        Assert.Equal(TimeSpan.FromSeconds(42), GitHubRateLimits.RetryDelay(r, "secondary rate limit", 0, Now));
    }

    [Fact]
    public void RemainingZero_WaitsUntilReset()
    {
        using var r = Response(HttpStatusCode.Forbidden, ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", Now.AddSeconds(90).ToUnixTimeSeconds().ToString()));
        Assert.Equal(TimeSpan.FromSeconds(91), GitHubRateLimits.RetryDelay(r, "API rate limit exceeded", 0, Now));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "You have exceeded a secondary rate limit.", 0, 60)]
    [InlineData(HttpStatusCode.Forbidden, "You have exceeded a secondary rate limit.", 2, 240)]
    [InlineData(HttpStatusCode.TooManyRequests, "", 0, 60)]
    public void SecondaryLimits_WaitAMinuteAndBackOff(HttpStatusCode status, string body, int attempt, int seconds)
    {
        using var r = Response(status);
        Assert.Equal(TimeSpan.FromSeconds(seconds), GitHubRateLimits.RetryDelay(r, body, attempt, Now));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "Resource not accessible by integration")]
    [InlineData(HttpStatusCode.OK, "")]
    [InlineData(HttpStatusCode.BadGateway, "")]
    public void OtherResponses_AreNoRateLimit(HttpStatusCode status, string body)
    {
        using var r = Response(status);
        Assert.Null(GitHubRateLimits.RetryDelay(r, body, 0, Now));
    }
}
