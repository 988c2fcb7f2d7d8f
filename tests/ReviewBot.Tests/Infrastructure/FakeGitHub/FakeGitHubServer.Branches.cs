using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Tests.Infrastructure.FakeGitHub;

/// <summary>
/// Branch heads set by tests (<see cref="SetBranchHead"/>): <c>GET /repos/{o}/{r}/branches/{branch}</c>, and the App's
/// installation on a repository (<see cref="SetRepositoryInstallation"/>): <c>GET /repos/{o}/{r}/installation</c>
/// with the App JWT. Names compare case-insensitively, branch names exactly.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly Dictionary<(string Owner, string Repo, string Branch), string> _branches = [];
    private readonly Dictionary<(string Owner, string Repo), long> _repoInstallations = [];

    public void SetBranchHead(string owner, string repo, string branch, string sha)
    {
        lock (_branches) _branches[(owner.ToLowerInvariant(), repo.ToLowerInvariant(), branch)] = sha;
    }

    public void SetRepositoryInstallation(string owner, string repo, long installationId)
    {
        lock (_repoInstallations) _repoInstallations[(owner.ToLowerInvariant(), repo.ToLowerInvariant())] = installationId;
    }

    private void MapBranches(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/branches/{**branch}", (string owner, string repo, string branch, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            string? sha;
            lock (_branches) sha = _branches.GetValueOrDefault((owner.ToLowerInvariant(), repo.ToLowerInvariant(), Uri.UnescapeDataString(branch)));
            if (sha is null) throw new FakeApiException(404, "Branch not found");
            return Results.Json(new
            {
                name = branch,
                commit = new { sha, url = $"{ApiUrl}repos/{owner}/{repo}/commits/{sha}" },
                @protected = false,
            });
        }));
        api.MapGet("/repos/{owner}/{repo}/installation", async (string owner, string repo, HttpRequest request) =>
        {
            if (await ValidateAppJwtAsync(request.Headers.Authorization.ToString()) is { } problem)
                return Error(StatusCodes.Status401Unauthorized, problem);
            long id;
            lock (_repoInstallations)
                if (!_repoInstallations.TryGetValue((owner.ToLowerInvariant(), repo.ToLowerInvariant()), out id)) return Error(404, "Not Found");
            return Results.Json(new { id, app_id = AppId, target_type = "Organization", account = new { login = owner, id = 1 } });
        });
    }
}
