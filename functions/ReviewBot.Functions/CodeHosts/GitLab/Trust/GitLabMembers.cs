using Microsoft.Extensions.Options;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.CodeHosts.GitLab.Webhooks;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.CodeHosts.GitLab.Trust;

/// <summary>
/// Trust on GitLab: a person is trusted on a project with Developer access or more, read from the API
/// (<c>GET /projects/:id/members/all/:user_id</c>, group memberships included). Without an API token, or when the read
/// fails, nobody is trusted: a fork's merge request then waits, and no note can approve it.
/// </summary>
public sealed class GitLabMembers(GitLabClient gitlab, IOptions<GitLabOptions> options, ILogger<GitLabMembers> log)
{
    /// <summary>Whether <paramref name="userId"/> is trusted on <paramref name="project"/>, and their role in words.</summary>
    public async Task<(bool Trusted, string Role)> RoleAsync(long project, long? userId, CancellationToken ct)
    {
        if (userId is not { } id) return (false, "of unknown access level (the hook names no user id)");
        if (!options.Value.HasApi) return (false, "of unknown access level (no GitLab API token is configured to read it)");
        try
        {
            var level = await gitlab.GetAccessLevelAsync(project, id, ct);
            return (level >= Roles.GitLabDeveloper, Roles.DescribeAccessLevel(level));
        }
        catch (Exception e) when (e is GitLabApiException or HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
        {
            TrustLog.AccessUnknown(log, project, id, e.Message);
            return (false, $"of unknown access level (GitLab: {e.Message})");
        }
    }

    /// <summary>The trust facts of a merge request hook: a fork's author is looked up on the target project.</summary>
    public async Task<PullRequestOrigin> OriginAsync(MergeRequestHook hook, CancellationToken ct)
    {
        var o = hook.Origin;
        var fork = o.FromFork ? o.SourcePath ?? (o.SourceProjectId is { } p ? $"project #{p}" : "(unknown project)") : null;
        var (trusted, role) = fork is null ? (false, "not checked (a branch of the project itself)") : await RoleAsync(hook.ProjectId, o.AuthorId, ct);
        return new PullRequestOrigin(CodeHostNames.GitLab, hook.Repository, hook.Iid, hook.HeadSha, o.Author, trusted, role, fork);
    }
}
