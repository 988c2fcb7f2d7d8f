using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Tests.Core.Review;

public sealed class CommentSyncTests
{
    private static PlannedFinding P(string fp, int line) =>
        new(new Finding("a.sh", line, null, null, Severity.Warning, "R", "m"), fp, ReviewCommentGeometry.For(line, line));

    private static PostedComment C(string id, string fp, string linter = "sc", bool replies = false, bool closed = false) => new(id, fp, linter, replies, closed);

    [Fact]
    public void AFindingAlreadyCommented_IsNotPostedAgain_WhereverItMoved()
    {
        var changes = CommentSync.Plan("sc", [P("aaaaaaaaaaaaaaaa", 40)], [C("1", "aaaaaaaaaaaaaaaa")]);

        Assert.Empty(changes.ToPost);
        Assert.Empty(changes.Stale);
        Assert.Equal(1, changes.AlreadyPosted);
    }

    [Fact]
    public void OnlyThisLintersCommentsCanGoStale()
    {
        var changes = CommentSync.Plan("sc", [P("bbbbbbbbbbbbbbbb", 3)], [C("1", "aaaaaaaaaaaaaaaa"), C("2", "cccccccccccccccc", linter: "other")]);

        Assert.Equal(["1"], changes.Stale.Select(c => c.Id));
        Assert.Equal(["bbbbbbbbbbbbbbbb"], changes.ToPost.Select(f => f.Fingerprint));
    }

    [Fact]
    public void AClosedComment_DoesNotCountAsPosted_AndIsNotStaleAgain()
    {
        var changes = CommentSync.Plan("sc", [P("aaaaaaaaaaaaaaaa", 3)], [C("1", "aaaaaaaaaaaaaaaa", closed: true), C("2", "dddddddddddddddd", closed: true)]);

        Assert.Equal(["aaaaaaaaaaaaaaaa"], changes.ToPost.Select(f => f.Fingerprint));
        Assert.Empty(changes.Stale);
    }

    [Fact]
    public void StaleCommentsKeepWhetherSomeoneReplied() =>
        Assert.True(CommentSync.Plan("sc", [], [C("1", "aaaaaaaaaaaaaaaa", replies: true)]).Stale.Single().HasReplies);

    [Fact]
    public void AFindingBackAtTheFingerprintOfAThreadReviewBotResolved_ReopensIt_InsteadOfPostingAgain()
    {
        var resolved = C("1", "aaaaaaaaaaaaaaaa", closed: true) with { Reopenable = true };
        var changes = CommentSync.Plan("sc", [P("aaaaaaaaaaaaaaaa", 7)], [resolved, C("2", "bbbbbbbbbbbbbbbb", closed: true) with { Reopenable = true }]);

        Assert.Equal([resolved], changes.Reopen);
        Assert.Empty(changes.ToPost);
        Assert.Empty(changes.Stale);
        Assert.Equal(1, changes.AlreadyPosted);
    }
}
