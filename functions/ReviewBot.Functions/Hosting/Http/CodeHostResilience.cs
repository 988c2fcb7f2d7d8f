using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ReviewBot.Functions.Hosting.Http;

/// <summary>How often and how long a code host's HTTP client retries (each host binds these from its own settings).</summary>
/// <param name="MaxRetries">Retries after a rate-limit refusal, and for reads also after a transient failure; 0: none.</param>
/// <param name="MaxRetryWait">The longest single wait a retry may take; a refusal asking for more is returned at once.</param>
/// <param name="AttemptTimeout">Timeout of one attempt; the retries' waits are not counted in it.</param>
public sealed record CodeHostRetries(int MaxRetries, TimeSpan MaxRetryWait, TimeSpan AttemptTimeout);

/// <summary>A rate-limit refusal and the wait it asks for; a null <see cref="Wait"/> leaves it to the exponential backoff.</summary>
public readonly record struct RateLimitRefusal(TimeSpan? Wait);

/// <summary>Whether <paramref name="response"/> is the host's rate-limit refusal (null: it is not), before retry number
/// <paramref name="attempt"/> + 1 (0-based).</summary>
public delegate ValueTask<RateLimitRefusal?> RateLimitRule(HttpResponseMessage response, int attempt, DateTimeOffset now);

/// <summary>
/// The resilience handler every code host's HTTP client shares (Microsoft.Extensions.Http.Resilience), outermost first:
/// <list type="number">
/// <item>retry: rate-limit refusals for any method, waiting as the host's <see cref="RateLimitRule"/> says (a wait over
/// <see cref="CodeHostRetries.MaxRetryWait"/> is not retried: the refusal goes back to the caller at once); transient
/// failures (5xx, timeouts, connection errors) only for reads, since a write that failed with a 502 may still have
/// happened and would be posted twice (reviewdog saw duplicate reviews that way);</item>
/// <item>a timeout per attempt.</item>
/// </list>
/// Only the rate-limit rule differs between hosts. Every wait runs on the app's <see cref="TimeProvider"/>.
/// </summary>
public static class CodeHostResilience
{
    /// <param name="name">The resilience pipeline's name ("github").</param>
    /// <param name="backoff">The first wait of the exponential backoff, for failures that ask for no wait.</param>
    public static IHttpClientBuilder AddCodeHostResilience(this IHttpClientBuilder client, string name, TimeSpan backoff,
        Func<IServiceProvider, CodeHostRetries> retries, RateLimitRule rateLimit)
    {
        client.AddResilienceHandler(name, (pipeline, context) =>
        {
            var options = retries(context.ServiceProvider);
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline.TimeProvider = time;
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                Delay = backoff,
                UseJitter = true,
                ShouldHandle = async args =>
                {
                    if (options.MaxRetries == 0) return false;
                    if (args.Outcome.Result is { } response && await rateLimit(response, args.AttemptNumber, time.GetUtcNow()) is { } refusal)
                        return (refusal.Wait ?? TimeSpan.Zero) <= options.MaxRetryWait;
                    var method = args.Context.GetRequestMessage()?.Method;
                    return (method == HttpMethod.Get || method == HttpMethod.Head) && HttpClientResiliencePredicates.IsTransient(args.Outcome);
                },
                DelayGenerator = async args =>
                    args.Outcome.Result is { } response && await rateLimit(response, args.AttemptNumber, time.GetUtcNow()) is { Wait: { } wait } ? wait : null,
                OnRetry = async args =>
                {
                    if (args.Outcome.Result is { } response && await rateLimit(response, args.AttemptNumber, time.GetUtcNow()) is not null)
                        context.ServiceProvider.GetService<CodeHostMetrics>()?.RateLimitWait(name, args.RetryDelay);
                },
            });
            pipeline.AddTimeout(options.AttemptTimeout);
        });
        // Innermost: every attempt is one request (not counted in a container without the app's diagnostics).
        client.AddHttpMessageHandler(sp => new CodeHostMetrics.Handler(sp.GetService<CodeHostMetrics>(), name));
        return client;
    }
}
