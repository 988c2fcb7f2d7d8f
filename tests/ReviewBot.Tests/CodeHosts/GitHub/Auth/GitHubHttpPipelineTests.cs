using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Octokit;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;

namespace ReviewBot.Tests.CodeHosts.GitHub.Auth;

public class GitHubHttpPipelineTests
{
    private const string TokenPath = "/app/installations/1/access_tokens";

    /// <summary>Moves the fake clock on in steps until the task ends: retry waits run on it. With
    /// <paramref name="requests"/>, it stops once the fake has seen that many requests, so that a slow real round trip
    /// of the last one (a loaded machine) does not let the clock run past the wait or into the attempt timeout.
    /// </summary>
    private static async Task<T> AdvanceUntilDone<T>(AuthHarness h, Task<T> task, TimeSpan step, int? requests = null)
    {
        // Nor while the first request is still on its way (connection, signing, JIT): no wait has started yet.
        for (var i = 0; i < 1000 && requests is not null && h.GitHub.Requests.Count == 0 && !task.IsCompleted; i++) await Task.Delay(10);
        for (var i = 0; i < 500 && !task.IsCompleted && !(h.GitHub.Requests.Count >= requests); i++)
        {
            h.Time.Advance(step);
            await Task.WhenAny(task, Task.Delay(10));
        }
        return await task.WithTimeout(Timeouts.Short, "the request");
    }

    [Fact]
    public async Task SecondaryLimitWithRetryAfter_IsWaitedOutAndRetried()
    {
        await using var h = await AuthHarness.AppAsync();
        h.GitHub.RefuseNextWithSecondaryLimit("POST", TokenPath, retryAfterSeconds: 30);
        var start = h.Time.GetUtcNow();

        var token = await AdvanceUntilDone(h, h.Tokens.GetAsync(1), TimeSpan.FromSeconds(1), requests: 2);

        Assert.NotEmpty(token.Value);
        Assert.Equal(2, h.GitHub.Requests.Count);
        Assert.InRange(h.Time.GetUtcNow() - start, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45));
    }

    [Fact]
    public async Task TooManyRequests_IsRetriedAfterAMinute()
    {
        await using var h = await AuthHarness.AppAsync();
        h.GitHub.RefuseNext("POST", TokenPath, 429, "Too many requests");
        var start = h.Time.GetUtcNow();

        await AdvanceUntilDone(h, h.Tokens.GetAsync(1), TimeSpan.FromSeconds(1), requests: 2);

        Assert.Equal(2, h.GitHub.Requests.Count);
        Assert.True(h.Time.GetUtcNow() - start >= GitHubRateLimits.SecondaryMinimum);
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

        var limits = await AdvanceUntilDone(h, client.RateLimit.GetRateLimits(), TimeSpan.FromSeconds(1));
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
