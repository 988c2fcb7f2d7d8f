using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Branch heads set by tests (<see cref="SetBranchHead"/>): <c>GET /repos/{o}/{r}/branches/{branch}</c>. Owner and
/// repository names compare case-insensitively, branch names exactly. (The App's installation on a repository is
/// in <c>FakeGitHubServer.OpenPulls.cs</c>.)
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly Dictionary<(string Owner, string Repo, string Branch), string> _branches = [];

    public void SetBranchHead(string owner, string repo, string branch, string sha)
    {
        lock (_branches) _branches[(owner.ToLowerInvariant(), repo.ToLowerInvariant(), branch)] = sha;
    }

    public void SetRepositoryInstallation(string owner, string repo, long installationId) => InstallOn(owner, repo, installationId);

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
    }
}
