using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Octokit;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;

namespace ReviewBot.Tests.CodeHosts.GitHub.Auth;

public class GitHubHttpPipelineTests
{
    private const string TokenPath = "/app/installations/1/access_tokens";

    /// <summary>A retry's wait: the one timer the pipeline starts on its clock that is shorter than an attempt's timeout.</summary>
    private static bool IsRetryWait(TimeSpan due) => due > TimeSpan.Zero && due < new GitHubHttpOptions().AttemptTimeout;

    /// <summary>Starts <paramref name="request"/>, waits until the pipeline waits on the fake clock before a retry, moves
    /// the clock by exactly that wait and returns the outcome with the wait. The clock moves only then, so a slow real
    /// round trip can neither run it past the wait nor into the attempt timeout.</summary>
    private static async Task<(T Result, TimeSpan Wait)> RetriedAfterWaitAsync<T>(AuthHarness h, Func<Task<T>> request)
    {
        var waiting = h.Time.TimerCreated(IsRetryWait);
        var task = request();
        var wait = await waiting.WithTimeout(Timeouts.Short, "the pipeline to wait before retrying");
        Assert.False(task.IsCompleted, "the request ended before its retry");
        h.Time.Advance(wait);
        return (await task.WithTimeout(Timeouts.Short, "the retried request"), wait);
    }

    [Fact]
    public async Task SecondaryLimitWithRetryAfter_IsWaitedOutAndRetried()
    {
        await using var h = await AuthHarness.AppAsync();
        h.GitHub.RefuseNextWithSecondaryLimit("POST", TokenPath, retryAfterSeconds: 30);

        var (token, wait) = await RetriedAfterWaitAsync(h, () => h.Tokens.GetAsync(1));

        Assert.NotEmpty(token.Value);
        Assert.Equal(2, h.GitHub.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(30), wait);
    }

    [Fact]
    public async Task TooManyRequests_IsRetriedAfterAMinute()
    {
        await using var h = await AuthHarness.AppAsync();
        h.GitHub.RefuseNext("POST", TokenPath, 429, "Too many requests");

        var (_, wait) = await RetriedAfterWaitAsync(h, () => h.Tokens.GetAsync(1));

        Assert.Equal(2, h.GitHub.Requests.Count);
        Assert.Equal(GitHubRateLimits.SecondaryMinimum, wait);
    }

    [Fact]
    public async Task PrimaryLimitResettingLater_FailsAtOnce()
    {
        await using var h = await AuthHarness.TokenAsync("ghp_t");
        h.GitHub.RefuseNextWithPrimaryLimit("GET", "/rate_limit", h.Time.GetUtcNow().AddMinutes(40));
        var client = await h.Clients.ForInstallationAsync(null);

        await Assert.ThrowsAsync<RateLimitExceededException>(() => client.RateLimit.GetRateLimits().WithTimeout(Timeouts.Short, "refused read"));

        Assert.Single(h.GitHub.Requests);
    }

    [Fact]
    public async Task TransientFailure_IsRetriedForReadsOnly()
    {
        await using var h = await AuthHarness.TokenAsync("ghp_t");
        var client = await h.Clients.ForInstallationAsync(null);
        h.GitHub.RefuseNext("GET", "/rate_limit", 502, "Server Error");
        h.GitHub.RefuseNext("POST", TokenPath, 502, "Server Error");

        var (limits, _) = await RetriedAfterWaitAsync(h, client.RateLimit.GetRateLimits);
        var post = await Assert.ThrowsAsync<ApiException>(() =>
            client.Connection.Post<object>(new Uri("app/installations/1/access_tokens", UriKind.Relative)).WithTimeout(Timeouts.Short, "write"));

        Assert.Equal(4999, limits.Resources.Core.Remaining);
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, post.StatusCode);
        Assert.Equal(["GET", "GET", "POST"], h.GitHub.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Writes_WithTheSameCredentials_AreSpaced()
    {
        var time = new FakeTimeProvider();
        var slots = new WriteSlots(new StaticOptions(new GitHubHttpOptions { WriteSpacing = TimeSpan.FromSeconds(1) }), time);

        await slots.WaitForSlotAsync("token a", default).WithTimeout(Timeouts.Short, "first write");
        var second = slots.WaitForSlotAsync("token a", default);
        await slots.WaitForSlotAsync("token b", default).WithTimeout(Timeouts.Short, "other credentials");

        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await second.WithTimeout(Timeouts.Short, "second write");
    }

    private sealed class StaticOptions(GitHubHttpOptions value) : IOptionsMonitor<GitHubHttpOptions>
    {
        public GitHubHttpOptions CurrentValue => value;
        public GitHubHttpOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<GitHubHttpOptions, string?> listener) => null;
    }
}
