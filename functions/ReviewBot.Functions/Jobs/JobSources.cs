using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

namespace ReviewBot.Functions.Jobs;

/// <summary>Clone URLs for jobs that do not name one: the repository on the configured GitHub host.</summary>
public sealed class JobSources(IOptions<GitHubWebhookOptions> github)
{
    public string CloneUrlFor(string repository)
    {
        var api = github.Value.ApiUrl;
        // GitHub Enterprise on a port of its own keeps it: https://host:8443/api/v3/ → https://host:8443/.
        var host = api.IsDefaultPort ? github.Value.GitHost : $"{github.Value.GitHost}:{api.Port}";
        return $"{api.Scheme}://{host}/{repository}.git";
    }
}
