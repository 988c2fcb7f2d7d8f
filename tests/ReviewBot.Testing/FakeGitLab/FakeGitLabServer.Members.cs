using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitLab;

/// <summary>
/// <c>GET /projects/:id/members/all/:user_id</c>, seeded by <see cref="SetMember"/>: the member with its access level
/// (10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner), or 404 "404 Not found" for a user who is not one.
/// </summary>
public sealed partial class FakeGitLabServer
{
    private readonly ConcurrentDictionary<(long Project, long User), (string Username, int Level)> _members = new();

    public void SetMember(long project, long userId, string username, int accessLevel) => _members[(project, userId)] = (username, accessLevel);

    private void MapMembers(RouteGroupBuilder api) =>
        api.MapGet("/projects/{project:long}/members/all/{user:long}", (long project, long user) =>
            _members.TryGetValue((project, user), out var m)
                ? Results.Json(new { id = user, username = m.Username, name = m.Username, state = "active", access_level = m.Level }, Json)
                : Message(StatusCodes.Status404NotFound, "404 Not found"));
}
