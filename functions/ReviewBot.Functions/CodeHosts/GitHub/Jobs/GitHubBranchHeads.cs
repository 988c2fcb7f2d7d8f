using System.Collections.Concurrent;
using Octokit;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.Jobs.Scheduling;

namespace ReviewBot.Functions.CodeHosts.GitHub.Jobs;

/// <summary>
/// Branch heads for poll triggers, read through the GitHub API (<c>GET /repos/{o}/{r}/branches/{branch}</c>). As a
/// GitHub App the repository's installation is looked up once per repository (<see cref="GitHubAppClients"/>). GitHub's
/// refusals reach the poller as <see cref="HttpRequestException"/>, as <see cref="IBranchHeads"/> promises.
/// </summary>
public sealed class GitHubBranchHeads(IGitHubClientFactory github, GitHubAppClients apps) : IBranchHeads
{
    private readonly ConcurrentDictionary<string, long> _installations = new(StringComparer.OrdinalIgnoreCase);

    public async Task<string> HeadAsync(string repository, string branch, CancellationToken ct)
    {
        var (owner, name) = Split(repository);
        try
        {
            long? installation = null;
            if (github.IsApp)
            {
                if (!_installations.TryGetValue(repository, out var id))
                    _installations[repository] = id = await apps.InstallationIdAsync(owner, name, ct);
                installation = id;
            }
            var client = await github.ForInstallationAsync(installation, ct);
            var found = await client.Repository.Branch.Get(owner, name, branch);
            return found.Commit?.Sha ?? throw new InvalidOperationException($"branch {branch} of {repository} has no head commit");
        }
        catch (ApiException e)
        {
            throw new HttpRequestException($"GitHub: {e.Message}", e, e.StatusCode);
        }
    }

    private static (string Owner, string Name) Split(string repository)
    {
        var slash = repository.IndexOf('/');
        if (slash <= 0 || slash == repository.Length - 1) throw new ArgumentException($"'{repository}' is not owner/name");
        return (repository[..slash], repository[(slash + 1)..]);
    }
}

/// <summary>Calls made as the GitHub App itself (JWT), not as an installation.</summary>
public sealed class GitHubAppClients(AppJwt jwt, GitHubConnections connections)
{
    /// <summary>The installation of the App on a repository (<c>GET /repos/{owner}/{repo}/installation</c>).</summary>
    public async Task<long> InstallationIdAsync(string owner, string repo, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var client = new GitHubClient(connections.Create(new Credentials(jwt.Create(), AuthenticationType.Bearer)));
        return (await client.GitHubApps.GetRepositoryInstallationForCurrent(owner, repo)).Id;
    }
}
