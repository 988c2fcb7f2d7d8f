using Microsoft.Extensions.Options;
using ReviewBot.Functions.Hosting.Http;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// The handlers of the <see cref="GitHubConnections.HttpClientName"/> client, outermost first: the shared code host
/// retries (<see cref="CodeHostResilience"/>: rate limits for any method, waiting as <see cref="GitHubRateLimits"/>
/// says; transient failures for reads only; a timeout per attempt), then <see cref="WriteSpacingHandler"/>. Once
/// retries are spent, or a wait would exceed <see cref="GitHubHttpOptions.MaxRetryWait"/>, the refusal reaches Octokit,
/// which throws <c>RateLimitExceededException</c>, <c>SecondaryRateLimitExceededException</c> or, for 429, a plain
/// <c>ApiException</c>. A 403 that is no rate limit is a permission problem and is not retried.
/// </summary>
internal static class GitHubHttpPipeline
{
    public static IHttpClientBuilder AddGitHubHttpPipeline(this IHttpClientBuilder client)
    {
        client.AddCodeHostResilience("github", TimeSpan.FromSeconds(2), sp =>
        {
            var o = sp.GetRequiredService<IOptions<GitHubHttpOptions>>().Value;
            return new CodeHostRetries(o.MaxRetries, o.MaxRetryWait, o.AttemptTimeout);
        }, RateLimitAsync);
        client.AddHttpMessageHandler<WriteSpacingHandler>();
        return client;
    }

    /// <summary>The wait a rate-limit refusal asks for (<see cref="GitHubRateLimits.RetryDelay"/>), or null.</summary>
    private static async ValueTask<RateLimitRefusal?> RateLimitAsync(HttpResponseMessage response, int attempt, DateTimeOffset now)
    {
        if (!GitHubRateLimits.MayBeRateLimited(response.StatusCode)) return null;
        // Buffered, so Octokit can still read the body if this response is the one returned.
        await response.Content.LoadIntoBufferAsync();
        var body = await response.Content.ReadAsStringAsync();
        return GitHubRateLimits.RetryDelay(response, body, attempt, now) is { } wait ? new RateLimitRefusal(wait) : null;
    }
}
