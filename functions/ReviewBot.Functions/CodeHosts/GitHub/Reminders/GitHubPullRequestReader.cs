using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reminders.Analysis;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reminders;

/// <summary>
/// Open pull requests of a GitHub repository: one GraphQL query per 50 pull requests
/// (<see cref="GitHubPullRequestQuery"/>), team members by REST (<c>GET /orgs/{org}/teams/{slug}/members</c>, every
/// page, once per team per listing), and one re-read of each pull request whose mergeability came back UNKNOWN after
/// <see cref="ReminderAnalysisOptions.MergeabilityRecheckDelay"/> (still UNKNOWN stays so: the analysis says
/// Undetermined rather than guess). As a GitHub App the repository's installation is looked up with the App JWT
/// (<c>GET /repos/{owner}/{repo}/installation</c>) and cached; with a token the token is used.
/// </summary>
public sealed class GitHubPullRequestReader(
    IGitHubClientFactory clients,
    AppJwt jwt,
    GitHubConnections connections,
    IOptions<ReminderAnalysisOptions> options,
    TimeProvider time,
    ILogger<GitHubPullRequestReader> logger) : ICodeHostReader
{
    /// <summary>A runaway listing stops here (10,000 pull requests).</summary>
    private const int MaxPages = 200;

    private readonly ConcurrentDictionary<string, long> _installations = new(StringComparer.OrdinalIgnoreCase);

    public string Host => "github";

    public async Task<IReadOnlyList<PullRequestSnapshot>> ListOpenAsync(string repository, CancellationToken ct)
    {
        var (owner, name) = Split(repository);
        var connection = await ConnectionAsync(owner, name, ct);
        var pulls = new List<PullRequestSnapshot>();
        string? cursor = null;
        for (var page = 0; ; page++)
        {
            if (page == MaxPages) throw new InvalidOperationException($"GitHub {repository}: more than {MaxPages} pages of open pull requests.");
            var data = await GitHubGraphQL.PostAsync(connection, GitHubPullRequestQuery.OpenPullRequests, new { owner, name, cursor }, ct);
            var connectionNode = Repository(data, repository).GetProperty("pullRequests");
            pulls.AddRange(GitHubPullRequestQuery.Nodes(connectionNode).Select(n => GitHubPullRequestQuery.Map(n, repository)));
            var pageInfo = connectionNode.GetProperty("pageInfo");
            if (!pageInfo.GetProperty("hasNextPage").GetBoolean()) break;
            cursor = pageInfo.GetProperty("endCursor").GetString();
        }

        var unknown = pulls.Where(p => p.Mergeability == Mergeability.Unknown && !p.Draft).Select(p => p.Number).ToHashSet();
        if (unknown.Count > 0)
        {
            AnalysisLog.MergeabilityUnknown(logger, repository, unknown.Count);
            await Task.Delay(options.Value.MergeabilityRecheckDelay, time, ct);
            for (var i = 0; i < pulls.Count; i++)
            {
                if (!unknown.Contains(pulls[i].Number)) continue;
                var data = await GitHubGraphQL.PostAsync(connection, GitHubPullRequestQuery.OnePullRequest, new { owner, name, number = pulls[i].Number }, ct);
                if (Repository(data, repository).GetProperty("pullRequest") is { ValueKind: JsonValueKind.Object } node)
                    pulls[i] = GitHubPullRequestQuery.Map(node, repository);
            }
        }

        var teams = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var team in pulls.SelectMany(p => p.RequestedTeams).Distinct(StringComparer.OrdinalIgnoreCase))
            teams[team] = await TeamMembersAsync(connection, team);
        return [.. pulls.Select(p => p.RequestedTeams.Count == 0 ? p
            : p with { TeamMembers = p.RequestedTeams.Where(teams.ContainsKey).ToDictionary(t => t, t => teams[t], StringComparer.OrdinalIgnoreCase) })];
    }

    private async Task<IConnection> ConnectionAsync(string owner, string name, CancellationToken ct)
    {
        if (!clients.IsApp) return await clients.ConnectionForInstallationAsync(null, ct);
        var key = $"{owner}/{name}";
        if (!_installations.TryGetValue(key, out var id))
        {
            var app = new GitHubClient(connections.Create(new Credentials(jwt.Create(), AuthenticationType.Bearer)));
            _installations[key] = id = (await app.GitHubApps.GetRepositoryInstallationForCurrent(owner, name)).Id;
        }
        return await clients.ConnectionForInstallationAsync(id, ct);
    }

    private static async Task<IReadOnlyList<string>> TeamMembersAsync(IConnection connection, string team)
    {
        var slash = team.IndexOf('/', StringComparison.Ordinal);
        var uri = new Uri($"orgs/{Uri.EscapeDataString(team[..slash])}/teams/{Uri.EscapeDataString(team[(slash + 1)..])}/members", UriKind.Relative);
        var members = await new ApiConnection(connection).GetAll<User>(uri, new ApiOptions { PageSize = 100 });
        return [.. members.Select(m => m.Login)];
    }

    private static JsonElement Repository(JsonElement data, string repository) =>
        data.TryGetProperty("repository", out var repo) && repo.ValueKind == JsonValueKind.Object
            ? repo
            : throw new InvalidOperationException($"GitHub has no repository '{repository}' (or the credentials cannot see it).");

    private static (string Owner, string Name) Split(string repository)
    {
        var parts = repository.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length > 0) ? (parts[0], parts[1]) : throw new ArgumentException($"'{repository}' is not owner/name.", nameof(repository));
    }
}
