using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Reviews and review comments on seeded pull requests, validated like GitHub:
/// <list type="bullet">
/// <item>A review is all-or-nothing: one bad comment fails the whole request with 422 and nothing is stored.</item>
/// <item>A comment's <c>line</c> must be a line of a hunk on its <c>side</c> (RIGHT: added or context by new number;
/// LEFT: removed or context by old number) in the diff of the head that <c>commit_id</c> names (default: the current
/// head); <c>start_line</c> must sit in the same hunk and come strictly before <c>line</c>.</item>
/// <item><c>commit_id</c> must be a head the pull request has had.</item>
/// <item>A <c>```suggestion</c> block must sit on the RIGHT side (FakeGitHubServer.Suggestions.cs), where GitHub can
/// commit it; <see cref="CommitSuggestion"/> applies one as GitHub's button does.</item>
/// </list>
/// Simplifications (documented deviations): the legacy <c>position</c> is refused with 422 so that the product is
/// held to <c>line</c>/<c>side</c>; a review without <c>event</c> is PENDING and its comments stay out of the listing
/// (submitting it later is not supported); on a push a comment keeps <c>line</c> when the same path, side and original
/// line is still a commentable line of the new diff, else <c>line</c> becomes null (outdated), where GitHub would
/// track the line through the change; <c>position</c> is always null in answers.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly SortedDictionary<long, ReviewComment> _comments = [];
    private readonly Dictionary<long, ReviewComment> _deletedComments = [];
    private readonly List<FakeReview> _reviews = [];
    private long _nextReviewId = 80_000_000;
    private long _nextCommentId = 1_500_000_000;

    public IReadOnlyList<FakeReview> Reviews(string owner, string repo, int number)
    {
        lock (_state) return [.. _reviews.Where(r => r.PullNumber == number && SameRepo(r.Owner, r.Repo, owner, repo))];
    }

    /// <summary>The pull request's published comments now, not deleted, in id order.</summary>
    public IReadOnlyList<ReviewComment> Comments(string owner, string repo, int number)
    {
        lock (_state) return [.. _comments.Values.Where(c => c.PullNumber == number && SameRepo(c.Owner, c.Repo, owner, repo))];
    }

    public IReadOnlyList<long> DeletedCommentIds
    {
        get { lock (_state) return [.. _deletedComments.Keys]; }
    }

    /// <summary>A reply by a person (type User), as a test's stand-in for a human answering the bot.</summary>
    public ReviewComment AddHumanReply(long toCommentId, string login, string body)
    {
        lock (_state)
        {
            var parent = _comments.GetValueOrDefault(toCommentId) ?? throw new InvalidOperationException($"No comment {toCommentId}");
            return Reply(parent, body, new FakeUser(login, "User", 700000 + (login.GetHashCode(StringComparison.Ordinal) & 0xffff)));
        }
    }

    private int? CommentPull(long id)
    {
        lock (_state) return (_comments.GetValueOrDefault(id) ?? _deletedComments.GetValueOrDefault(id))?.PullNumber;
    }

    private void MapReviews(RouteGroupBuilder api)
    {
        const string pull = "/repos/{owner}/{repo}/pulls/{number:int}";
        api.MapPost(pull + "/reviews", (string owner, string repo, int number, HttpContext context) => Guarded(context, async () =>
        {
            var caller = Admit(context.Request, createsContent: true);
            var pr = RequirePull(owner, repo, number);
            return CreateReview(pr, caller, await ReadObjectAsync(context.Request));
        }));
        api.MapGet(pull + "/reviews", (string owner, string repo, int number, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            RequirePull(owner, repo, number);
            return Results.Json(Page(context, Reviews(owner, repo, number)).Select(ReviewJson));
        }));
        api.MapGet(pull + "/comments", (string owner, string repo, int number, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            RequirePull(owner, repo, number);
            return Results.Json(Page(context, Comments(owner, repo, number)).Select(CommentJson));
        }));
        api.MapPost(pull + "/comments", (string owner, string repo, int number, HttpContext context) => Guarded(context, async () =>
        {
            var caller = Admit(context.Request, createsContent: true);
            var pr = RequirePull(owner, repo, number);
            return CreateComment(pr, caller, await ReadObjectAsync(context.Request));
        }));

        const string comment = "/repos/{owner}/{repo}/pulls/comments/{id:long}";
        api.MapGet(comment, (string owner, string repo, long id, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            return Results.Json(CommentJson(RequireComment(owner, repo, id)));
        }));
        api.MapDelete(comment, (string owner, string repo, long id, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: true);
            lock (_state)
            {
                var c = RequireComment(owner, repo, id);
                _comments.Remove(id);
                _deletedComments[id] = c;
            }
            return Results.NoContent();
        }));
        api.MapPatch(comment, (string owner, string repo, long id, HttpContext context) => Guarded(context, async () =>
        {
            Admit(context.Request, createsContent: true);
            var body = Str(await ReadObjectAsync(context.Request), "body");
            if (string.IsNullOrWhiteSpace(body)) throw Invalid("\"body\" wasn't supplied.");
            lock (_state)
            {
                var updated = RequireComment(owner, repo, id) with { Body = body, UpdatedAt = Time.GetUtcNow() };
                _comments[id] = updated;
                return Results.Json(CommentJson(updated));
            }
        }));
    }

    private ReviewComment RequireComment(string owner, string repo, long id)
    {
        lock (_state)
        {
            return _comments.TryGetValue(id, out var c) && SameRepo(c.Owner, c.Repo, owner, repo) ? c : throw new FakeApiException(404, "Not Found");
        }
    }

    private IResult CreateReview(FakePullRequest pr, Caller caller, JsonObject request)
    {
        var ev = OneOf(request, "event", "APPROVE", "REQUEST_CHANGES", "COMMENT");
        var body = Str(request, "body") ?? "";
        if (ev is "REQUEST_CHANGES" or "COMMENT" && string.IsNullOrWhiteSpace(body))
            throw new FakeApiException(422, "Unprocessable Entity", new[] { $"Body is required when using {ev}" }); // wording: the fake's own
        var drafts = request["comments"] switch
        {
            null => [],
            JsonArray a => a.Select(n => n as JsonObject ?? throw Invalid("For 'items', a comment is not an object.")).ToList(),
            _ => throw Invalid("For 'properties/comments', it is not an array."),
        };

        lock (_state)
        {
            var head = HeadFor(pr, Str(request, "commit_id"));
            var checkedDrafts = drafts.Select(d => CheckDraft(head, d)).ToList();
            var errors = checkedDrafts.SelectMany(d => d.Errors).Distinct().ToList();
            if (errors.Count > 0) throw new FakeApiException(422, "Unprocessable Entity", new[] { JoinLikeGitHub(errors) });
            var state = ev switch { "APPROVE" => "APPROVED", "REQUEST_CHANGES" => "CHANGES_REQUESTED", "COMMENT" => "COMMENTED", _ => "PENDING" };
            if (state == "PENDING" && _reviews.Any(r => r.State == "PENDING" && r.User == caller.User && r.PullNumber == pr.Number && SameRepo(r.Owner, r.Repo, pr.Owner, pr.Repo)))
                throw new FakeApiException(422, "Unprocessable Entity", new[] { "User can only have one pending review per pull request" });

            var reviewId = ++_nextReviewId;
            var now = Time.GetUtcNow();
            var comments = checkedDrafts.Select(d => Store(pr, head, reviewId, d, caller.User, now, publish: state != "PENDING")).ToList();
            var review = new FakeReview(reviewId, pr.Owner, pr.Repo, pr.Number, state, body, head.Sha, caller.User, state == "PENDING" ? null : now, comments);
            _reviews.Add(review);
            return Results.Json(ReviewJson(review));
        }
    }

    /// <summary>A single comment: a reply (<c>in_reply_to</c>, everything else ignored, as on GitHub) or a new thread.</summary>
    private IResult CreateComment(FakePullRequest pr, Caller caller, JsonObject request)
    {
        var body = Str(request, "body");
        if (string.IsNullOrWhiteSpace(body)) throw Invalid("\"body\" wasn't supplied.");
        lock (_state)
        {
            if (Long(request, "in_reply_to") is { } parentId)
            {
                var parent = _comments.GetValueOrDefault(parentId);
                if (parent is null || parent.PullNumber != pr.Number || !SameRepo(parent.Owner, parent.Repo, pr.Owner, pr.Repo))
                    throw new FakeApiException(404, "Not Found");
                return Results.Json(CommentJson(Reply(parent, body, caller.User)), statusCode: 201);
            }
            if (Str(request, "commit_id") is null) throw Invalid("\"commit_id\" wasn't supplied.");
            var head = HeadFor(pr, Str(request, "commit_id"));
            var draft = CheckDraft(head, request);
            if (draft.Errors.Count > 0)
            {
                // The single-comment endpoint answers "Validation Failed" with field errors rather than the review's strings.
                throw new FakeApiException(422, "Validation Failed", draft.Errors.Select(e => new
                {
                    resource = "PullRequestReviewComment",
                    code = "custom",
                    field = "pull_request_review_thread." + (e.Contains("start line", StringComparison.Ordinal) ? "start_line" : e.Contains("path", StringComparison.Ordinal) ? "path" : "line"),
                    message = e.Replace("Pull request review thread ", "pull_request_review_thread.", StringComparison.Ordinal).Replace("start line", "start_line", StringComparison.Ordinal),
                }).ToArray());
            }
            var reviewId = ++_nextReviewId;
            var now = Time.GetUtcNow();
            var stored = Store(pr, head, reviewId, draft, caller.User, now, publish: true);
            _reviews.Add(new FakeReview(reviewId, pr.Owner, pr.Repo, pr.Number, "COMMENTED", "", head.Sha, caller.User, now, [stored]));
            return Results.Json(CommentJson(stored), statusCode: 201);
        }
    }

    /// <summary>GitHub makes a one-comment COMMENTED review for each reply; a reply to a reply joins the thread's root.</summary>
    private ReviewComment Reply(ReviewComment parent, string body, FakeUser user)
    {
        var root = parent.InReplyToId is { } r && _comments.GetValueOrDefault(r) is { } rootComment ? rootComment : parent;
        var now = Time.GetUtcNow();
        var reply = root with
        {
            Id = ++_nextCommentId,
            ReviewId = ++_nextReviewId,
            Body = body,
            User = user,
            InReplyToId = root.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        _comments[reply.Id] = reply;
        _reviews.Add(new FakeReview(reply.ReviewId, root.Owner, root.Repo, root.PullNumber, "COMMENTED", "", root.CommitId, user, now, [reply]));
        return reply;
    }

    private static FakeHead HeadFor(FakePullRequest pr, string? commitId) =>
        commitId is null ? pr.Current : pr.HeadAt(commitId)
            ?? throw new FakeApiException(422, "Unprocessable Entity", new[] { "commit_id is not part of the pull request" });

    /// <summary>A comment as asked for, with its anchors resolved in <c>head</c>, or the GitHub error texts that refuse it.</summary>
    private sealed record Draft(string Path, string Body, string SubjectType, int? Line, string Side, int? StartLine, string? StartSide,
        string DiffHunk, List<string> Errors);

    private static Draft CheckDraft(FakeHead head, JsonObject c)
    {
        var errors = new List<string>();
        var path = Str(c, "path") ?? "";
        var body = Str(c, "body") ?? "";
        var subject = OneOf(c, "subject_type", "line", "file") ?? "line";
        var line = Int(c, "line");
        var side = OneOf(c, "side", "LEFT", "RIGHT") ?? "RIGHT";
        var startLine = Int(c, "start_line");
        var startSide = OneOf(c, "start_side", "LEFT", "RIGHT") ?? (startLine is null ? null : side);
        var hunk = "";
        if (string.IsNullOrWhiteSpace(body)) errors.Add("Body can't be blank"); // wording: the fake's own
        if (c["position"] is not null)
            errors.Add("position is not supported by this fake: use line and side (GitHub has deprecated position)");
        if (Suggestions(body).Count > 0 && (side == "LEFT" || startSide == "LEFT")) errors.Add(LeftSideSuggestion);

        var file = head.File(path);
        if (file is null)
        {
            errors.Add("Pull request review thread path is invalid");
            if (subject == "line") errors.Add("Pull request review thread diff hunk can't be blank");
        }
        else if (subject == "line" && c["position"] is null)
        {
            var end = line is { } l ? file.Find(side, l) : null;
            if (end is null)
            {
                errors.Add("Pull request review thread line must be part of the diff");
                errors.Add("Pull request review thread diff hunk can't be blank");
            }
            else
            {
                hunk = end.Value.Hunk.TextUpTo(end.Value.Index);
                if (startLine is { } s)
                {
                    var start = file.Find(startSide!, s);
                    if (start is null || start.Value.Hunk != end.Value.Hunk)
                        errors.Add("Pull request review thread start line must be part of the same hunk as the line.");
                    else if (start.Value.Index >= end.Value.Index)
                        errors.Add("Pull request review thread start line must precede the end line.");
                }
            }
        }
        if (subject == "file") (line, startLine, startSide) = (null, null, null);
        return new Draft(path, body, subject, line, side, startLine, startSide, hunk, errors);
    }

    private ReviewComment Store(FakePullRequest pr, FakeHead head, long reviewId, Draft d, FakeUser user, DateTimeOffset now, bool publish)
    {
        var comment = new ReviewComment
        {
            Id = ++_nextCommentId,
            Owner = pr.Owner,
            Repo = pr.Repo,
            PullNumber = pr.Number,
            ReviewId = reviewId,
            Path = d.Path,
            SubjectType = d.SubjectType,
            Line = d.Line,
            Side = d.Side,
            StartLine = d.StartLine,
            StartSide = d.StartSide,
            OriginalLine = d.Line,
            OriginalStartLine = d.StartLine,
            CommitId = head.Sha,
            OriginalCommitId = head.Sha,
            DiffHunk = d.DiffHunk,
            Body = d.Body,
            User = user,
            CreatedAt = now,
            UpdatedAt = now,
        };
        // A comment made against an earlier head is shown on the current one when its line is still there.
        if (head != pr.Current) comment = Reanchor(comment, pr.Current);
        if (publish) _comments[comment.Id] = comment;
        return comment;
    }

    /// <summary>A push: the head moves, and every comment of the pull request is re-anchored on the new diff.</summary>
    internal void OnPush(FakePullRequest pr, string headSha, string unifiedDiff)
    {
        lock (_state)
        {
            pr.PushHead(headSha, unifiedDiff);
            foreach (var c in Comments(pr.Owner, pr.Repo, pr.Number)) _comments[c.Id] = Reanchor(c, pr.Current);
        }
    }

    /// <summary>The simplification stated above: same path, side and original line still commentable → kept, else outdated.</summary>
    private static ReviewComment Reanchor(ReviewComment c, FakeHead head)
    {
        var file = head.File(c.Path);
        if (c.SubjectType == "file") return file is null ? c : c with { CommitId = head.Sha };
        var end = c.OriginalLine is { } l ? file?.Find(c.Side, l) : null;
        if (file is null || end is null) return c with { Line = null, StartLine = null };
        var start = c.OriginalStartLine is { } s ? file.Find(c.StartSide ?? c.Side, s) : null;
        var keepStart = start is { } st && st.Hunk == end.Value.Hunk && st.Index < end.Value.Index;
        return c with { Line = c.OriginalLine, StartLine = keepStart ? c.OriginalStartLine : null, CommitId = head.Sha };
    }

    /// <summary>GitHub joins several messages as "a and b" or "a, b, and c".</summary>
    private static string JoinLikeGitHub(IReadOnlyList<string> items) => items.Count switch
    {
        1 => items[0],
        2 => $"{items[0]} and {items[1]}",
        _ => string.Join(", ", items.Take(items.Count - 1)) + ", and " + items[^1],
    };

    private static object ReviewJson(FakeReview r) => new
    {
        id = r.Id,
        node_id = $"PRR_{r.Id}",
        user = UserJson(r.User),
        body = r.Body,
        state = r.State,
        commit_id = r.CommitId,
        submitted_at = r.SubmittedAt is { } t ? Iso(t) : null,
        html_url = $"https://github.com/{r.Owner}/{r.Repo}/pull/{r.PullNumber}#pullrequestreview-{r.Id}",
        pull_request_url = $"https://api.github.com/repos/{r.Owner}/{r.Repo}/pulls/{r.PullNumber}",
        author_association = "NONE",
    };

    private static object CommentJson(ReviewComment c) => new
    {
        id = c.Id,
        node_id = $"PRRC_{c.Id}",
        pull_request_review_id = c.ReviewId,
        diff_hunk = c.DiffHunk,
        path = c.Path,
        position = (int?)null,
        original_position = (int?)null,
        commit_id = c.CommitId,
        original_commit_id = c.OriginalCommitId,
        in_reply_to_id = c.InReplyToId,
        user = UserJson(c.User),
        body = c.Body,
        created_at = Iso(c.CreatedAt),
        updated_at = Iso(c.UpdatedAt),
        html_url = c.HtmlUrl,
        pull_request_url = $"https://api.github.com/repos/{c.Owner}/{c.Repo}/pulls/{c.PullNumber}",
        author_association = "NONE",
        subject_type = c.SubjectType,
        line = c.Line,
        original_line = c.OriginalLine,
        side = c.Side,
        start_line = c.StartLine,
        original_start_line = c.OriginalStartLine,
        start_side = c.StartLine is null ? null : c.StartSide,
    };
}
