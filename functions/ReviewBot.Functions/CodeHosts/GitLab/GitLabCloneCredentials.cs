using Microsoft.Extensions.Options;

namespace ReviewBot.Functions.CodeHosts.GitLab;

/// <summary>
/// The credential an agent gets for cloning from GitLab: the configured API token, only for an https clone URL on
/// the configured GitLab host (same host and port), so a payload can never make ReviewBot hand the token to another
/// server. Git sends it as HTTP Basic with user <see cref="User"/>, which GitLab accepts for personal, project and
/// group access tokens. Never logged.
/// </summary>
public sealed class GitLabCloneCredentials(IOptions<GitLabOptions> options)
{
    public const string User = "oauth2";

    public string? TokenFor(string cloneUrl)
    {
        var o = options.Value;
        if (!o.HasApi || !Uri.TryCreate(cloneUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps) return null;
        return string.Equals(url.Host, o.Url!.Host, StringComparison.OrdinalIgnoreCase) && url.Port == o.Url.Port ? o.Token : null;
    }
}
