using System.Net;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.Hosting.Http;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

/// <summary>
/// The resilience handler of <see cref="GitLabClient"/>: the shared code host retries (<see cref="CodeHostResilience"/>:
/// 429 for any method, waiting as <see cref="GitLabRateLimits"/> says, or with the exponential backoff when GitLab names
/// no wait; transient failures for reads only; a timeout per attempt).
/// </summary>
internal static class GitLabHttpPipeline
{
    public static IHttpClientBuilder AddGitLabHttpPipeline(this IHttpClientBuilder client) =>
        client.AddCodeHostResilience("gitlab", TimeSpan.FromSeconds(1), sp =>
        {
            var o = sp.GetRequiredService<IOptions<GitLabOptions>>().Value;
            return new CodeHostRetries(o.MaxRetries, o.MaxRetryWait, o.AttemptTimeout);
        }, (response, _, now) => ValueTask.FromResult<RateLimitRefusal?>(
            response.StatusCode == HttpStatusCode.TooManyRequests ? new RateLimitRefusal(GitLabRateLimits.RetryDelay(response, now)) : null));
}
