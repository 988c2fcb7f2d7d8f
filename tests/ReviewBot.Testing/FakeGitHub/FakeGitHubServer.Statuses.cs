using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Commit statuses, the fallback any token with push access may write: <c>POST /repos/{o}/{r}/statuses/{sha}</c>
/// (state error|failure|pending|success, description at most 140 characters, context defaulting to "default", at most
/// 1000 statuses per sha and context), <c>GET …/commits/{ref}/statuses</c> (newest first, paginated) and the combined
/// <c>GET …/commits/{ref}/status</c> (latest per context, contexts compared case-insensitively as on GitHub). The sha
/// is not checked against real commits.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly List<FakeCommitStatus> _statuses = [];
    private long _nextStatusId = 40_000_000_000;

    /// <summary>Statuses on <paramref name="sha"/>, oldest first.</summary>
    public IReadOnlyList<FakeCommitStatus> Statuses(string owner, string repo, string sha)
    {
        lock (_state)
        {
            return [.. _statuses.Where(s => SameRepo(s.Owner, s.Repo, owner, repo) && s.Sha.Equals(sha, StringComparison.OrdinalIgnoreCase))];
        }
    }

    private void MapStatuses(RouteGroupBuilder api)
    {
        api.MapPost("/repos/{owner}/{repo}/statuses/{sha}", (string owner, string repo, string sha, HttpContext context) => Guarded(context, async () =>
        {
            var caller = Admit(context.Request, createsContent: true);
            var body = await ReadObjectAsync(context.Request);
            var state = OneOf(body, "state", "error", "failure", "pending", "success") ?? throw Invalid("\"state\" wasn't supplied.");
            var description = Str(body, "description");
            var statusContext = Str(body, "context") is { Length: > 0 } c ? c : "default";
            if (description is { Length: > 140 })
            {
                throw new FakeApiException(422, "Validation Failed",
                    new[] { new { resource = "Status", code = "custom", field = "description", message = "description is too long (maximum is 140 characters)" } });
            }
            lock (_state)
            {
                if (Statuses(owner, repo, sha).Count(s => s.Context.Equals(statusContext, StringComparison.OrdinalIgnoreCase)) >= 1000)
                {
                    throw new FakeApiException(422, "Validation Failed",
                        new[] { new { resource = "Status", code = "custom", field = "context", message = "This SHA and context has reached the maximum number of statuses." } });
                }
                var status = new FakeCommitStatus(++_nextStatusId, owner, repo, sha, state, Str(body, "target_url"), description, statusContext, caller.User, Time.GetUtcNow());
                _statuses.Add(status);
                return Results.Json(StatusJson(status), statusCode: StatusCodes.Status201Created);
            }
        }));
        api.MapGet("/repos/{owner}/{repo}/commits/{gitRef}/statuses", (string owner, string repo, string gitRef, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            return Results.Json(Page(context, Statuses(owner, repo, gitRef).Reverse().ToList()).Select(StatusJson));
        }));
        api.MapGet("/repos/{owner}/{repo}/commits/{gitRef}/status", (string owner, string repo, string gitRef, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            var latest = Statuses(owner, repo, gitRef).GroupBy(s => s.Context, StringComparer.OrdinalIgnoreCase).Select(g => g.Last()).ToList();
            // GitHub: failure if any is error or failure, pending if none yet or any pending, else success.
            var combined = latest.Any(s => s.State is "error" or "failure") ? "failure"
                : latest.Count == 0 || latest.Any(s => s.State == "pending") ? "pending" : "success";
            return Results.Json(new { state = combined, sha = gitRef, total_count = latest.Count, statuses = latest.Select(StatusJson) });
        }));
    }

    private static object StatusJson(FakeCommitStatus s) => new
    {
        id = s.Id,
        node_id = $"SC_{s.Id}",
        state = s.State,
        description = s.Description,
        target_url = s.TargetUrl,
        context = s.Context,
        created_at = Iso(s.CreatedAt),
        updated_at = Iso(s.CreatedAt),
        creator = UserJson(s.Creator),
    };
}

/// <summary>One commit status as posted.</summary>
public sealed record FakeCommitStatus(long Id, string Owner, string Repo, string Sha, string State, string? TargetUrl, string? Description,
    string Context, FakeUser Creator, DateTimeOffset CreatedAt);
