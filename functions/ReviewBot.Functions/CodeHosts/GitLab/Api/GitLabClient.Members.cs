using System.Globalization;
using System.Net;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

/// <summary>A project member as <c>GET /projects/:id/members/all/:user_id</c> returns it (inherited memberships included).</summary>
public sealed record GitLabMember(long Id, string? Username, int AccessLevel);

public sealed partial class GitLabClient
{
    /// <summary>The user's access level on the project, counting memberships inherited from groups (10 guest, 20
    /// reporter, 30 developer, 40 maintainer, 50 owner); null when the user is not a member (GitLab answers 404).</summary>
    public async Task<int?> GetAccessLevelAsync(long project, long userId, CancellationToken ct)
    {
        try
        {
            var member = await SendAsync<GitLabMember>(HttpMethod.Get,
                string.Create(CultureInfo.InvariantCulture, $"projects/{project}/members/all/{userId}"), null, ct);
            return member.AccessLevel;
        }
        catch (GitLabApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
