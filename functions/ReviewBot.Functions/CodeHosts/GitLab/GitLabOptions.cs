using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.CodeHosts.GitLab;

/// <summary>Settings under <c>ReviewBot:GitLab</c> (environment <c>ReviewBot__GitLab__*</c>).</summary>
public sealed class GitLabOptions : IValidatableObject
{
    public const string Section = "ReviewBot:GitLab";

    /// <summary>The GitLab instance, e.g. https://gitlab.com; the API is at <c>{Url}/api/v4</c>. Webhook clone URLs must be
    /// https or ssh on its host, and clone tokens go only there. Alone (without <see cref="Token"/>) it only names that
    /// host: tasks run, nothing is reported.</summary>
    public Uri? Url { get; set; }

    /// <summary>API token (personal, project or group access token with the <c>api</c> scope), sent as <c>PRIVATE-TOKEN</c>.
    /// Used for reporting, the merge request's base commit, and as the agents' clone credential. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>The webhook's secret token, compared in constant time with <c>X-Gitlab-Token</c>. Without it every
    /// delivery is refused (503), since none can be verified.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Largest webhook body accepted.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Retries after a 429, and for reads also after a transient failure (5xx, timeout, connection error).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest single wait a retry may take; a 429 asking for more is returned to the caller at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Timeout of one attempt; the retries' waits are not counted in it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>True when ReviewBot can call the API: findings are then reported on merge requests.</summary>
    public bool HasApi => Url is not null && !string.IsNullOrEmpty(Token);

    /// <summary><c>{Url}/api/v4/</c>, or null without <see cref="Url"/>.</summary>
    public Uri? ApiBase => Url is null ? null : new Uri(Url.AbsoluteUri.TrimEnd('/') + "/api/v4/");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url is not null && (!Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https")))
            yield return new("Url must be an absolute http(s) URL such as https://gitlab.com.", [nameof(Url)]);
        if (Url is null && !string.IsNullOrEmpty(Token))
            yield return new("Token is set but Url is not: set ReviewBot:GitLab:Url (e.g. https://gitlab.com), the host the token belongs to.", [nameof(Url)]);
    }
}
