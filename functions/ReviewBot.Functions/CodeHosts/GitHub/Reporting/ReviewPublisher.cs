using Octokit;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>
/// Line comments of one linter run, as reviews of at most <see cref="CommentsPerReview"/> comments (more in one
/// request trips GitHub's abuse detection, reviewdog #355). On each run:
/// <list type="number">
/// <item>the pull request's review comments are listed (every page) and ReviewBot's are read by their marker;</item>
/// <item>findings already commented are skipped (<see cref="CommentSync"/>, by fingerprint: a moved finding is not
/// posted twice); this linter's comments whose finding is gone have their review thread resolved (<c>fixed: resolve</c>,
/// the default, through GraphQL: <see cref="ReviewThreads"/>), and a thread ReviewBot resolved is reopened when its
/// finding comes back; with <c>fixed: delete</c> they are deleted, or, when someone replied, kept and marked outdated;</item>
/// <item>new comments are posted with <c>line</c>/<c>side</c>/<c>start_line</c>/<c>start_side</c> on the task's head
/// commit. Review creation is all-or-nothing: on a 422 the batch is halved until the offending comment is alone; it
/// is dropped and returned, the rest are posted.</item>
/// </list>
/// </summary>
public sealed class ReviewPublisher(IConnection connection)
{
    public const int CommentsPerReview = 30;
    private const string Accept = "application/vnd.github+json";

    private readonly ApiConnection _api = new(connection);

    /// <summary>Posts the plan's line comments; the overflow is listed in the first review's body.</summary>
    public async Task<CommentOutcome> PublishAsync(RepoName repo, ReviewTask task, ReportPlan plan, int maxComments, string? link, CancellationToken ct = default)
    {
        var number = task.PullRequest ?? throw new InvalidOperationException("Only pull requests have reviews.");
        var listed = await _api.GetAll<ListedReviewComment>(new Uri($"{repo.Path}/pulls/{number}/comments", UriKind.Relative), new ApiOptions { PageSize = 100 });
        var replied = listed.Where(c => c.InReplyToId is not null).Select(c => c.InReplyToId!.Value).ToHashSet();
        var marked = listed.Where(c => c.InReplyToId is null && FingerprintMarker.TryRead(c.Body, out _, out _)).ToList();
        // fixed: resolve — threads are read only when ReviewBot has comments there (one GraphQL request per 100 threads).
        var threadsApi = new ReviewThreads(connection);
        var threads = task.Report.Fixed == FixedMode.Resolve && marked.Count > 0 ? await threadsApi.ListAsync(repo, number, ct) : new Dictionary<long, ReviewThread>();
        var posted = marked
            .Select(c =>
            {
                FingerprintMarker.TryRead(c.Body, out var fp, out var linter);
                var outdatedMark = CommentBody.IsMarkedOutdated(c.Body!);
                // A thread ReviewBot resolved is closed and can be reopened; one a person resolved stays as they left it
                // (live: not posted again, not reopened).
                var resolvedByUs = threads.GetValueOrDefault(c.Id) is { ResolvedByAuthor: true };
                return (Comment: c, Posted: new PostedComment(c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), fp!, linter!, replied.Contains(c.Id), outdatedMark || resolvedByUs)
                {
                    Reopenable = resolvedByUs && !outdatedMark,
                });
            }).ToList();
        var changes = CommentSync.Plan(plan.Linter, plan.Commentable, posted.Select(p => p.Posted));

        int deleted = 0, outdated = 0, resolved = 0, reopened = 0;
        foreach (var back in changes.Reopen)
        {
            await threadsApi.UnresolveAsync(threads[long.Parse(back.Id, System.Globalization.CultureInfo.InvariantCulture)].Id, ct);
            reopened++;
        }
        foreach (var stale in changes.Stale)
        {
            var uri = new Uri($"{repo.Path}/pulls/comments/{stale.Id}", UriKind.Relative);
            if (threads.GetValueOrDefault(long.Parse(stale.Id, System.Globalization.CultureInfo.InvariantCulture)) is { } thread
                && (thread.IsResolved || await TryResolveAsync(threadsApi, thread.Id, ct)))
            {
                if (!thread.IsResolved) resolved++;
            }
            else if (stale.HasReplies)
            {
                var body = posted.First(p => p.Posted.Id == stale.Id).Comment.Body!;
                await connection.Patch<ListedReviewComment>(uri, ReviewJson.Serialize(new CommentEdit(CommentBody.MarkOutdated(body))), Accept);
                outdated++;
            }
            else
            {
                await connection.Delete(uri);
                deleted++;
            }
        }

        var toPost = changes.ToPost.Take(maxComments).ToList();
        var overflow = changes.ToPost.Skip(maxComments).ToList();
        var rejected = new List<RefusedComment>();
        var reviews = 0;
        var batches = toPost.Chunk(CommentsPerReview).ToList();
        for (var i = 0; i < batches.Count; i++)
        {
            var body = ReviewBody(plan, i, batches.Count, overflow, link);
            reviews += await PostAsync(repo, number, task.HeadSha, plan.Linter, body, batches[i], rejected);
        }
        return new CommentOutcome(toPost.Count - rejected.Count, changes.AlreadyPosted, deleted, outdated, rejected, overflow)
        {
            Resolved = resolved,
            Reopened = reopened,
            Requests = reviews,
            OverflowListed = true,
        };
    }

    /// <summary>Resolves a thread; false when GitHub refuses (an App needs the Contents permission for it): the comment
    /// is then closed the <c>fixed: delete</c> way rather than left standing.</summary>
    private static async Task<bool> TryResolveAsync(ReviewThreads threads, string id, CancellationToken ct)
    {
        try
        {
            await threads.ResolveAsync(id, ct);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ApiException)
        {
            return false;
        }
    }

    /// <summary>Posts <paramref name="batch"/> as one review, bisecting on 422 to isolate the comments GitHub refuses.
    /// Returns the number of reviews created.</summary>
    private async Task<int> PostAsync(RepoName repo, int number, string commitId, string linter, string body, IReadOnlyList<PlannedFinding> batch, List<RefusedComment> rejected)
    {
        if (batch.Count == 0) return 0;
        var review = new NewReview(commitId, body, "COMMENT", [.. batch.Select(f => Comment(linter, f))]);
        try
        {
            await connection.Post<CreatedReview>(new Uri($"{repo.Path}/pulls/{number}/reviews", UriKind.Relative), ReviewJson.Serialize(review), Accept, "application/json");
            return 1;
        }
        catch (ApiValidationException e)
        {
            // Halving finds a bad comment; it cannot fix a review GitHub refuses as a whole (a commit no longer in
            // the pull request), which would cost a request per comment for nothing.
            if (batch.Count == 1 || !IsAboutAComment(e))
            {
                rejected.AddRange(batch.Select(f => new RefusedComment(f, Why(e))));
                return 0;
            }
            var half = batch.Count / 2;
            return await PostAsync(repo, number, commitId, linter, body, batch.Take(half).ToList(), rejected)
                 + await PostAsync(repo, number, commitId, linter, body, batch.Skip(half).ToList(), rejected);
        }
    }

    private static NewReviewComment Comment(string linter, PlannedFinding f)
    {
        var g = f.Comment!;
        return new NewReviewComment(f.Finding.File, CommentBody.Render(linter, f), g.Line, g.Side, g.StartLine, g.StartSide);
    }

    /// <summary>GitHub's 422 texts for one comment name its line, path or hunk ("line must be part of the diff",
    /// "start line must be part of the same hunk", "path is invalid", "diff hunk can't be blank").</summary>
    private static bool IsAboutAComment(ApiValidationException e)
    {
        var text = Why(e);
        return text.Contains("line", StringComparison.OrdinalIgnoreCase) || text.Contains("path", StringComparison.OrdinalIgnoreCase)
            || text.Contains("hunk", StringComparison.OrdinalIgnoreCase) || text.Contains("position", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>GitHub's reasons: <c>errors</c> is a list of strings for reviews (objects elsewhere).</summary>
    private static string Why(ApiValidationException e)
    {
        var details = e.ApiError?.Errors?.Select(x => x.Message).Where(m => !string.IsNullOrEmpty(m)).ToList();
        if (details is { Count: > 0 }) return string.Join("; ", details);
        try
        {
            using var body = System.Text.Json.JsonDocument.Parse(e.HttpResponse?.Body as string ?? "");
            if (body.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                var texts = errors.EnumerateArray()
                    .Select(x => x.ValueKind == System.Text.Json.JsonValueKind.String ? x.GetString() : x.TryGetProperty("message", out var m) ? m.GetString() : null)
                    .Where(t => !string.IsNullOrEmpty(t)).ToList();
                if (texts.Count > 0) return string.Join("; ", texts);
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return e.Message;
    }

    internal static string ReviewBody(ReportPlan plan, int index, int count, IReadOnlyList<PlannedFinding> overflow, string? link)
    {
        var text = new BoundedText(BoundedText.GitHubLimit);
        var part = count > 1 ? $" (review {index + 1} of {count})" : "";
        text.Line($"**{plan.Linter}** found {plan.Findings.Count} issue{FindingText.Plural(plan.Findings.Count)} on the changed lines{part}.");
        if (index == 0 && overflow.Count > 0)
        {
            text.Line().Line($"<details><summary>{overflow.Count} more not posted as comments (limit per run)</summary>").Line();
            foreach (var f in overflow) text.Line($"- `{FindingText.Cell(FindingText.Location(f.Finding))}` {FindingText.Cell(f.Finding.Message)}");
            text.Line().Line("</details>");
        }
        if (link is not null) text.Line().Line($"[Task details]({link})");
        return text.ToString(n => $"… {n} more line(s) not shown: GitHub limits a review body to 65,535 characters.");
    }
}
