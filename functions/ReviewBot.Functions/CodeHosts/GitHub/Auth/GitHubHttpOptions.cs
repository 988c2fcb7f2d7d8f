using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>Settings under <c>ReviewBot:GitHub:Http</c>: how ReviewBot paces and retries its GitHub requests.</summary>
public sealed class GitHubHttpOptions
{
    public const string Section = "ReviewBot:GitHub:Http";

    /// <summary>
    /// Least time between two writes (POST, PATCH, PUT, DELETE) with the same credentials. GitHub asks for a second
    /// between writes; it keeps a burst of review and check-run requests under the content-creation limit.
    /// Zero turns pacing off (tests).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan WriteSpacing { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries after a rate-limit refusal, and for reads also after a transient failure (5xx, timeout, connection error).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// The longest single wait a retry may take. A refusal that asks for more (a primary limit that resets in half an
    /// hour) is returned to the caller at once as Octokit's rate-limit exception, rather than holding the request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of one attempt; the retries' waits are not counted in it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
