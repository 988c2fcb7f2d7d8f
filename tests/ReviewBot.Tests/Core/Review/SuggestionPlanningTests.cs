using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Tests.Core.Review;

/// <summary>Where a finding's fix goes: a suggestion on exactly its lines when they lie in one hunk, else the summary.</summary>
public sealed class SuggestionPlanningTests
{
    /// <summary>a.sh: lines 1-2 context, 3-4 added, 5 context; a second hunk 20-22.</summary>
    private const string Diff = """
        diff --git a/a.sh b/a.sh
        index 1111111..2222222 100644
        --- a/a.sh
        +++ b/a.sh
        @@ -1,3 +1,5 @@
         #!/bin/sh
         echo start
        +rm -rf $1/out
        +cp $1 /tmp
         echo end
        @@ -18,3 +20,3 @@
         a
        -b
        +B
         c
        """;

    private static readonly ChangedLines Changes = ChangedLines.FromGitDiff(Diff.Replace("\r", "") + "\n");

    private static Finding F(int line, FindingFix? fix) => new("a.sh", line, 1, null, Severity.Warning, "SC2086", "Double quote") { Fix = fix };

    [Fact]
    public void AFixInsideOneHunk_IsTheCommentsSuggestion_AndTheCommentSpansItsLines()
    {
        var fix = new FindingFix(2, 4, "echo start\nrm -rf \"$1\"/out\ncp \"$1\" /tmp\n");

        var planned = Assert.Single(ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(3, fix)], Changes, ReportSettings.Default).Findings);

        Assert.Equal(fix, planned.Suggestion);
        Assert.Equal(new ReviewCommentGeometry(4, "RIGHT", 2, "RIGHT"), planned.Comment);
    }

    [Theory]
    [InlineData(4, 20)] // spans two hunks
    [InlineData(4, 6)]  // runs past the hunk's end
    public void AFixReachingOutsideAHunk_StaysOffTheComment_AndIsListedForTheSummary(int start, int end)
    {
        var plan = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(4, new FindingFix(start, end, "x\n"))], Changes, ReportSettings.Default);

        var planned = Assert.Single(plan.Findings);
        Assert.Null(planned.Suggestion);
        Assert.Equal(new ReviewCommentGeometry(4, "RIGHT", null, null), planned.Comment);
        Assert.Same(planned, Assert.Single(plan.FixesOutsideDiff));
    }

    [Fact]
    public void ASuggestion_IsAFencedBlockBeforeTheMarker_ForGitHubAndForGitLab()
    {
        var planned = Assert.Single(ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(3, new FindingFix(3, 4, "rm -rf \"$1\"/out\ncp \"$1\" /tmp\n"))], Changes, ReportSettings.Default).Findings);

        var github = CommentBody.Render("sc", planned);
        var gitlab = CommentBody.Render("sc", planned, SuggestionMarkup.RelativeRange);

        Assert.Contains("\n\n```suggestion\nrm -rf \"$1\"/out\ncp \"$1\" /tmp\n```\n\n<!-- reviewbot:fp=", github);
        Assert.Contains("\n\n```suggestion:-1+0\nrm -rf \"$1\"/out\ncp \"$1\" /tmp\n```\n\n<!-- reviewbot:fp=", gitlab);
        Assert.True(FingerprintMarker.TryRead(github, out var fp, out _) && fp == planned.Fingerprint);
    }

    [Fact]
    public void ASuggestionHoldingBackticks_GetsALongerFence_AndAnEmptyOneDeletesTheLines()
    {
        Assert.Equal("````suggestion\necho ```x```\n````\n", CommentBody.Suggestion(new FindingFix(1, 1, "echo ```x```\n"), SuggestionMarkup.CommentRange));
        Assert.Equal("```suggestion:-2+0\n```\n", CommentBody.Suggestion(new FindingFix(3, 5, ""), SuggestionMarkup.RelativeRange));
    }
}
