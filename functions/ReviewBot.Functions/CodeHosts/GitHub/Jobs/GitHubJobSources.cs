using Microsoft.Extensions.Options;
using ReviewBot.Functions.Jobs;

namespace ReviewBot.Functions.CodeHosts.GitHub.Jobs;

/// <summary>Clone URLs for jobs that do not name one: the repository on the configured GitHub host.</summary>
public sealed class GitHubJobSources(IOptions<GitHubOptions> github) : IJobSources
{
    public string CloneUrlFor(string repository)
    {
        var api = github.Value.ApiUrl;
        // GitHub Enterprise on a port of its own keeps it: https://host:8443/api/v3/ → https://host:8443/.
        var host = api.IsDefaultPort ? github.Value.GitHost : $"{github.Value.GitHost}:{api.Port}";
        return $"{api.Scheme}://{host}/{repository}.git";
    }
}
