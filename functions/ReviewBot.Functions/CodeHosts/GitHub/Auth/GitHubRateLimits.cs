using System.Globalization;
using System.Net;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// When GitHub refused a request for a rate limit, how long to wait before trying again; pure, so it is tested alone.
/// GitHub's rules (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
/// <list type="number">
/// <item>403 or 429 with <c>Retry-After</c>: wait that long.</item>
/// <item>Else <c>x-ratelimit-remaining: 0</c>: wait until <c>x-ratelimit-reset</c> (epoch seconds).</item>
/// <item>Else a secondary limit (429, which Octokit does not map, or a 403 whose body says "secondary rate limit"
/// or "rate limit exceeded"): wait at least a minute, doubling each attempt.</item>
/// </list>
/// Any other 403 is a permission problem and is not retried.
/// </summary>
public static class GitHubRateLimits
{
    /// <summary>The least wait after a secondary limit without a <c>Retry-After</c>, as GitHub asks.</summary>
    public static readonly TimeSpan SecondaryMinimum = TimeSpan.FromMinutes(1);

    /// <summary>Margin added to <c>x-ratelimit-reset</c>, whose resolution is a second.</summary>
    private static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);

    /// <summary>True for the statuses GitHub uses for rate limits; only their bodies need reading.</summary>
    public static bool MayBeRateLimited(HttpStatusCode status) => status is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests;

    /// <summary>The wait before retry number <paramref name="attempt"/> + 1 (0-based), or null when the response is no rate-limit refusal.</summary>
    public static TimeSpan? RetryDelay(HttpResponseMessage response, string body, int attempt, DateTimeOffset now)
    {
        if (!MayBeRateLimited(response.StatusCode)) return null;
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : TimeSpan.Zero);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        if (Header(response, "x-ratelimit-remaining") == 0 && Header(response, "x-ratelimit-reset") is { } reset)
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
            return (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) + ResetMargin;
        }
        var secondary = response.StatusCode == HttpStatusCode.TooManyRequests
            || body.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
            || body.Contains("rate limit exceeded", StringComparison.OrdinalIgnoreCase);
        return secondary ? SecondaryMinimum * Math.Pow(2, Math.Min(attempt, 6)) : null;
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
