using Microsoft.Extensions.Options;
using ReviewBot.Functions.Webhooks;

namespace ReviewBot.Functions.GitHub;

/// <summary>
/// The credential an agent gets for cloning: the configured GitHub token, and only for https clone URLs on the
/// GitHub host the API setting names (github.com for api.github.com; the Enterprise host itself otherwise), so a
/// payload can never make ReviewBot hand its token to another server. GitHub App installation tokens come with
/// the reporting work.
/// </summary>
public sealed class CloneCredentials(IOptions<GitHubWebhookOptions> options)
{
    public string? TokenFor(string cloneUrl)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.Token) || !Uri.TryCreate(cloneUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps) return null;
        return string.Equals(url.Host, GitHost(o.ApiUrl), StringComparison.OrdinalIgnoreCase) ? o.Token : null;
    }

    private static string GitHost(Uri apiUrl) =>
        apiUrl.Host.Equals("api.github.com", StringComparison.OrdinalIgnoreCase) ? "github.com" : apiUrl.Host;
}
