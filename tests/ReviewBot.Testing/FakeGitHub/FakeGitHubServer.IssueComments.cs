using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>A comment on a pull request's conversation (GitHub's issue comments).</summary>
public sealed record FakeIssueComment(long Id, string Owner, string Repo, int Number, string Body, FakeUser User, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Edits);

/// <summary>
/// Issue comments on seeded pull requests: list (paged, id order), create, edit (<see cref="FakeIssueComment.Edits"/>
/// counts the edits, so a test can tell "edited in place" from "posted again"), delete. A blank body is a 422 as on
/// GitHub; a body over 65,536 characters too.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly SortedDictionary<long, FakeIssueComment> _issueComments = [];
    private long _nextIssueCommentId = 2_000_000_000;

    public IReadOnlyList<FakeIssueComment> IssueComments(string owner, string repo, int number)
    {
        lock (_state) return [.. _issueComments.Values.Where(c => c.Number == number && SameRepo(c.Owner, c.Repo, owner, repo))];
    }

    private void MapIssueComments(RouteGroupBuilder api)
    {
        const string issue = "/repos/{owner}/{repo}/issues/{number:int}/comments";
        api.MapGet(issue, (string owner, string repo, int number, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            RequirePull(owner, repo, number);
            return Results.Json(Page(context, IssueComments(owner, repo, number)).Select(IssueCommentJson));
        }));
        api.MapPost(issue, (string owner, string repo, int number, HttpContext context) => Guarded(context, async () =>
        {
            var caller = Admit(context.Request, createsContent: true);
            var pr = RequirePull(owner, repo, number);
            var body = CheckIssueBody(Str(await ReadObjectAsync(context.Request), "body"));
            lock (_state)
            {
                var now = Time.GetUtcNow();
                var c = new FakeIssueComment(++_nextIssueCommentId, pr.Owner, pr.Repo, pr.Number, body, caller.User, now, now, 0);
                _issueComments[c.Id] = c;
                return Results.Json(IssueCommentJson(c), statusCode: 201);
            }
        }));
        const string one = "/repos/{owner}/{repo}/issues/comments/{id:long}";
        api.MapPatch(one, (string owner, string repo, long id, HttpContext context) => Guarded(context, async () =>
        {
            Admit(context.Request, createsContent: true);
            var body = CheckIssueBody(Str(await ReadObjectAsync(context.Request), "body"));
            lock (_state)
            {
                var c = RequireIssueComment(owner, repo, id);
                var edited = c with { Body = body, UpdatedAt = Time.GetUtcNow(), Edits = c.Edits + 1 };
                _issueComments[id] = edited;
                return Results.Json(IssueCommentJson(edited));
            }
        }));
        api.MapDelete(one, (string owner, string repo, long id, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: true);
            lock (_state)
            {
                RequireIssueComment(owner, repo, id);
                _issueComments.Remove(id);
            }
            return Results.NoContent();
        }));
    }

    private static string CheckIssueBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) throw Invalid("\"body\" wasn't supplied.");
        if (body.Length > 65_536) throw new FakeApiException(422, "Validation Failed", new[] { new { resource = "IssueComment", code = "custom", field = "body", message = "body is too long (maximum is 65536 characters)" } });
        return body;
    }

    private FakeIssueComment RequireIssueComment(string owner, string repo, long id) =>
        _issueComments.TryGetValue(id, out var c) && SameRepo(c.Owner, c.Repo, owner, repo) ? c : throw new FakeApiException(404, "Not Found");

    private static object IssueCommentJson(FakeIssueComment c) => new
    {
        id = c.Id,
        body = c.Body,
        user = UserJson(c.User),
        created_at = c.CreatedAt,
        updated_at = c.UpdatedAt,
        html_url = $"https://github.com/{c.Owner}/{c.Repo}/pull/{c.Number}#issuecomment-{c.Id}",
    };
}
