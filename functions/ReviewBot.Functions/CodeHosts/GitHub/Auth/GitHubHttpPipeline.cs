using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// The handlers of the <see cref="GitHubConnections.HttpClientName"/> client, outermost first:
/// <list type="number">
/// <item>retry (Microsoft.Extensions.Http.Resilience): rate-limit refusals for any method, waiting as
/// <see cref="GitHubRateLimits"/> says; transient failures (5xx, timeouts, connection errors) only for reads, since
/// a write that failed with a 502 may still have happened (reviewdog saw duplicate reviews that way);</item>
/// <item>a timeout per attempt;</item>
/// <item><see cref="WriteSpacingHandler"/>.</item>
/// </list>
/// Once retries are spent, or a wait would exceed <see cref="GitHubHttpOptions.MaxRetryWait"/>, the refusal reaches
/// Octokit, which throws <c>RateLimitExceededException</c>, <c>SecondaryRateLimitExceededException</c> or, for 429,
/// a plain <c>ApiException</c>.
/// </summary>
internal static class GitHubHttpPipeline
{
    public static IHttpClientBuilder AddGitHubHttpPipeline(this IHttpClientBuilder client)
    {
        client.AddResilienceHandler("github", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<GitHubHttpOptions>>().Value;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.TimeProvider = time;
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(2),
                UseJitter = true,
                ShouldHandle = async args =>
                {
                    if (options.MaxRetries == 0) return false;
                    if (await RateLimitDelayAsync(args.Outcome, args.AttemptNumber, time) is { } wait) return wait <= options.MaxRetryWait;
                    var method = args.Context.GetRequestMessage()?.Method;
                    return (method == HttpMethod.Get || method == HttpMethod.Head) && HttpClientResiliencePredicates.IsTransient(args.Outcome)
                        && !IsRateLimitStatus(args.Outcome);
                },
                DelayGenerator = async args => await RateLimitDelayAsync(args.Outcome, args.AttemptNumber, time),
            });
            pipeline.AddTimeout(options.AttemptTimeout);
        });
        client.AddHttpMessageHandler<WriteSpacingHandler>();
        return client;
    }

    private static bool IsRateLimitStatus(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } r && GitHubRateLimits.MayBeRateLimited(r.StatusCode);

    /// <summary>The wait a rate-limit refusal asks for, or null (no response, or not a rate-limit refusal: then the default backoff applies).</summary>
    private static async ValueTask<TimeSpan?> RateLimitDelayAsync(Outcome<HttpResponseMessage> outcome, int attempt, TimeProvider time)
    {
        if (outcome.Result is not { } response || !GitHubRateLimits.MayBeRateLimited(response.StatusCode)) return null;
        // Buffered, so Octokit can still read the body if this response is the one returned.
        await response.Content.LoadIntoBufferAsync();
        var body = await response.Content.ReadAsStringAsync();
        return GitHubRateLimits.RetryDelay(response, body, attempt, time.GetUtcNow());
    }
}
