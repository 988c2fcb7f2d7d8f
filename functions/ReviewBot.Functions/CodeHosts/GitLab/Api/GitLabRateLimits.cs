using System.Globalization;
using System.Net;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

/// <summary>
/// How long to wait after GitLab refused a request with 429 (https://docs.gitlab.com/ee/user/gitlab_com/index.html#gitlabcom-specific-rate-limits):
/// <c>Retry-After</c> when given (seconds or a date), else until <c>RateLimit-Reset</c> (epoch seconds), else null
/// (the default backoff applies). Pure, so it is tested alone.
/// </summary>
public static class GitLabRateLimits
{
    public static TimeSpan? RetryDelay(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests) return null;
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : TimeSpan.Zero);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        if (response.Headers.TryGetValues("RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
            return (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) + TimeSpan.FromSeconds(1);
        }
        return null;
    }
}
