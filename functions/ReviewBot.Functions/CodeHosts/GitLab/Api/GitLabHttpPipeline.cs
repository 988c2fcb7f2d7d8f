using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

/// <summary>
/// The resilience handler of <see cref="GitLabClient"/>: retry 429 for any method, waiting as
/// <see cref="GitLabRateLimits"/> says (a wait over <see cref="GitLabOptions.MaxRetryWait"/> is not retried); retry
/// transient failures (5xx, timeouts, connection errors) only for reads, since a write that failed with a 502 may
/// still have happened and would be posted twice; a timeout per attempt.
/// </summary>
internal static class GitLabHttpPipeline
{
    public static IHttpClientBuilder AddGitLabHttpPipeline(this IHttpClientBuilder client)
    {
        client.AddResilienceHandler("gitlab", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<GitLabOptions>>().Value;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.TimeProvider = time;
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                UseJitter = true,
                ShouldHandle = args =>
                {
                    if (options.MaxRetries == 0) return ValueTask.FromResult(false);
                    if (args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited)
                        return ValueTask.FromResult((GitLabRateLimits.RetryDelay(limited, time.GetUtcNow()) ?? TimeSpan.Zero) <= options.MaxRetryWait);
                    var method = args.Context.GetRequestMessage()?.Method;
                    return ValueTask.FromResult((method == HttpMethod.Get || method == HttpMethod.Head) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
                },
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? GitLabRateLimits.RetryDelay(r, time.GetUtcNow()) : null),
            });
            pipeline.AddTimeout(options.AttemptTimeout);
        });
        return client;
    }
}
