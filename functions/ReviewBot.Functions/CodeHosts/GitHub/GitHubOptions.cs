using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.CodeHosts.GitHub;

/// <summary>Settings under <c>ReviewBot:GitHub</c>.</summary>
public sealed class GitHubOptions : IValidatableObject
{
    public const string Section = "ReviewBot:GitHub";

    /// <summary>The webhook's secret. Without it every delivery is refused (503), since none can be verified.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Largest body accepted; GitHub caps payloads at 25 MB.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>API base: https://api.github.com/ or a GitHub Enterprise base such as https://ghe.example.com/api/v3/.</summary>
    public Uri ApiUrl { get; set; } = new("https://api.github.com/");

    /// <summary>The host of GitHub's git URLs (clone tokens go there, webhook clone URLs must be there): github.com for
    /// api.github.com, the Enterprise host itself otherwise.</summary>
    public string GitHost =>
        ApiUrl.Host.Equals("api.github.com", StringComparison.OrdinalIgnoreCase) ? "github.com" : ApiUrl.Host.ToLowerInvariant();

    /// <summary>A token (PAT or installation token) for reporting; or <see cref="AppId"/> + <see cref="PrivateKeyPath"/>.</summary>
    public string? Token { get; set; }

    public long? AppId { get; set; }

    /// <summary>The App's private key file (PEM), on hosts with a file system of your own.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The App's private key itself (PEM text), where files are not an option: an app setting that is a Key
    /// Vault reference under Azure Functions. Never logged.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>A private key is configured, by file or by value.</summary>
    public bool HasAppKey => !string.IsNullOrEmpty(PrivateKeyPath) || !string.IsNullOrEmpty(PrivateKey);

    /// <summary>ReviewBot runs as a GitHub App: an App id and its key.</summary>
    public bool IsApp => AppId is not null && HasAppKey;

    /// <summary>True when some GitHub credentials are configured; without them findings are only stored and listed.</summary>
    public bool HasCredentials => !string.IsNullOrEmpty(Token) || IsApp;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ApiUrl.IsAbsoluteUri || ApiUrl.Scheme is not ("http" or "https"))
            yield return new("ApiUrl must be an absolute http(s) URL.", [nameof(ApiUrl)]);
        if (AppId is not null != HasAppKey)
            yield return new("AppId and PrivateKeyPath (or PrivateKey) go together: set both for a GitHub App, or neither.", [nameof(AppId), nameof(PrivateKeyPath)]);
        if (!string.IsNullOrEmpty(PrivateKeyPath) && !string.IsNullOrEmpty(PrivateKey))
            yield return new("Set PrivateKeyPath or PrivateKey, not both.", [nameof(PrivateKeyPath), nameof(PrivateKey)]);
        if (!string.IsNullOrEmpty(PrivateKeyPath) && !File.Exists(PrivateKeyPath))
            yield return new($"PrivateKeyPath '{PrivateKeyPath}' does not exist.", [nameof(PrivateKeyPath)]);
    }
}
