using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// <c>GET /repos/{o}/{r}/collaborators/{user}/permission</c>, seeded by <see cref="SetPermission"/>. As on GitHub the
/// answer's <c>permission</c> is admin, write, read or none (maintain reports write, triage read) and
/// <c>role_name</c> the finer role; a user the test did not seed has read (anyone may read a public repository).
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly Dictionary<(string Owner, string Repo, string User), string> _roles = [];

    /// <param name="role">admin, maintain, write, triage or read.</param>
    public void SetPermission(string owner, string repo, string user, string role)
    {
        lock (_state) _roles[(owner.ToLowerInvariant(), repo.ToLowerInvariant(), user.ToLowerInvariant())] = role;
    }

    private void MapCollaborators(RouteGroupBuilder api) =>
        api.MapGet("/repos/{owner}/{repo}/collaborators/{user}/permission", (string owner, string repo, string user, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            string role;
            lock (_state) role = _roles.GetValueOrDefault((owner.ToLowerInvariant(), repo.ToLowerInvariant(), user.ToLowerInvariant()), "read");
            var permission = role switch { "admin" => "admin", "maintain" or "write" => "write", "triage" or "read" => "read", _ => "none" };
            return Results.Json(new { permission, role_name = role, user = new { login = user, id = Math.Abs(user.GetHashCode()), type = "User" } });
        }));
}
