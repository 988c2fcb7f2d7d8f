using Microsoft.Extensions.Options;
using ReviewBot.Functions.Webhooks;

namespace ReviewBot.Functions.Jobs;

/// <summary>Clone URLs for jobs that do not name one: the repository on the configured GitHub host.</summary>
public sealed class JobSources(IOptions<GitHubWebhookOptions> github)
{
    public string CloneUrlFor(string repository)
    {
        var api = github.Value.ApiUrl;
        // api.github.com → github.com; GitHub Enterprise https://host/api/v3/ → https://host/.
        var host = api.Host.Equals("api.github.com", StringComparison.OrdinalIgnoreCase) ? "github.com" : api.Authority;
        return $"{api.Scheme}://{host}/{repository}.git";
    }
}
