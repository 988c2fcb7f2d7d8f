using System.Net;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reporting;

/// <summary>
/// The merge request discussions of one linter run, one per finding on a changed line. On each run:
/// <list type="number">
/// <item>the discussions are listed (every page) and ReviewBot's are recognised by the marker of their first note
/// (<see cref="FingerprintMarker"/>); a resolved one counts as closed;</item>
/// <item>findings that already have an open discussion are skipped (<see cref="CommentSync"/>, by fingerprint: a
/// finding that moved is not posted twice); this linter's open discussions whose finding is gone are
/// <b>resolved</b>, never deleted, so replies and history stay;</item>
/// <item>each new finding gets a discussion of its own (<see cref="DiscussionPosition"/>). GitLab answers 400 for a
/// position it cannot place; that finding is returned as rejected and the others are still posted.</item>
/// </list>
/// </summary>
public static class DiscussionPublisher
{
    public static async Task<CommentOutcome> PublishAsync(GitLabClient client, ReviewTask task, ReportPlan plan, ChangedLines changes, GitLabDiffRefs refs, int maxComments, CancellationToken ct)
    {
        var project = task.ProjectId ?? throw new InvalidOperationException($"Task {task.Id} has no GitLab project id.");
        var iid = task.PullRequest ?? throw new InvalidOperationException($"Task {task.Id} has no merge request.");
        var discussions = await client.ListDiscussionsAsync(project, iid, ct);
        var posted = new List<PostedComment>();
        foreach (var d in discussions)
        {
            if (d.Notes.Count == 0 || d.Notes[0].System || !FingerprintMarker.TryRead(d.Notes[0].Body, out var fp, out var linter)) continue;
            posted.Add(new PostedComment(d.Id, fp, linter, d.Notes.Count(n => !n.System) > 1, d.Notes[0].Resolved));
        }
        var sync = CommentSync.Plan(plan.Linter, plan.Commentable, posted);

        var resolved = 0;
        foreach (var stale in sync.Stale)
        {
            try
            {
                await client.ResolveDiscussionAsync(project, iid, stale.Id, ct);
                resolved++;
            }
            catch (GitLabApiException e) when (e.Status == HttpStatusCode.NotFound)
            {
                // Deleted by someone meanwhile: nothing left to resolve.
            }
        }

        var toPost = sync.ToPost.Take(maxComments).ToList();
        var overflow = sync.ToPost.Skip(maxComments).ToList();
        var rejected = new List<RefusedComment>();
        foreach (var finding in toPost)
        {
            var position = DiscussionPosition.For(finding, changes.Find(finding.Finding.File), refs);
            try
            {
                await client.CreateDiscussionAsync(project, iid, DiscussionPosition.Body(plan.Linter, finding), position, ct);
            }
            catch (GitLabApiException e) when (e.Status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
            {
                rejected.Add(new RefusedComment(finding, e.ApiMessage));
            }
        }
        return new CommentOutcome(toPost.Count - rejected.Count, sync.AlreadyPosted, resolved, 0, rejected, overflow);
    }
}
