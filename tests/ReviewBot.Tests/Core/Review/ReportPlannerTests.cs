using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Tests.Core.Review;

public sealed class ReportPlannerTests
{
    /// <summary>a.sh: lines 1-2 context, 3-4 added, 5 context (a modified file).</summary>
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
        """;

    private static readonly ChangedLines Changes = ChangedLines.FromGitDiff(Diff.Replace("\r", "") + "\n");

    private static Finding F(int line, string message = "Double quote", Severity severity = Severity.Info, string file = "a.sh") =>
        new(file, line, 1, null, severity, "SC2086", message);

    [Fact]
    public void AddedMode_KeepsFindingsOnAddedLines_AndCountsTheRestAsOutside()
    {
        var plan = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(2), F(3), F(4), F(1, file: "other.sh")], Changes, ReportSettings.Default);

        Assert.Equal([3, 4], plan.Findings.Select(f => f.Finding.Line));
        Assert.Equal(2, plan.OutsideChange);
        Assert.All(plan.Findings, f => Assert.Equal(new ReviewCommentGeometry(f.Finding.Line, "RIGHT", null, null), f.Comment));
    }

    [Fact]
    public void DiffContextMode_GivesContextLinesTheirBaseSideLine()
    {
        var plan = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(5), F(3)], Changes, ReportSettings.Default with { Filter = FilterMode.DiffContext });

        Assert.Equal([(3, (int?)null), (5, 3)], plan.Findings.Select(f => (f.Finding.Line, f.OldLine)));
    }

    [Fact]
    public void SameMessageOnTwoLines_GetsTwoFingerprints_ThatFollowTheLinesText()
    {
        var first = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(3), F(4)], Changes, ReportSettings.Default);
        var moved = ChangedLines.FromGitDiff(Diff.Replace("\r", "").Replace("+rm -rf $1/out\n", "+echo new\n+rm -rf $1/out\n").Replace("@@ -1,3 +1,5 @@", "@@ -1,3 +1,6 @@") + "\n");
        var second = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(5)], moved, ReportSettings.Default);

        Assert.NotEqual(first.Findings[0].Fingerprint, first.Findings[1].Fingerprint);
        Assert.Equal(first.Findings[1].Fingerprint, second.Findings.Single().Fingerprint); // "cp $1 /tmp" moved from 4 to 5
    }

    [Fact]
    public void IdenticalFindingsOnIdenticalLines_GetOrdinalFingerprints()
    {
        var diff = "diff --git a/b.sh b/b.sh\nnew file mode 100644\n--- /dev/null\n+++ b/b.sh\n@@ -0,0 +1,2 @@\n+echo $x\n+echo $x\n";
        var plan = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(2, file: "b.sh"), F(1, file: "b.sh")], ChangedLines.FromGitDiff(diff), ReportSettings.Default);

        Assert.Equal(2, plan.Findings.Select(f => f.Fingerprint).Distinct().Count());
        Assert.Equal(Fingerprint.Of("sc", F(1, file: "b.sh"), "echo $x"), plan.Findings[0].Fingerprint);
    }

    [Fact]
    public void WithoutADiff_EveryFindingIsKept_WithNoLineComment()
    {
        var plan = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(2), F(40)], null, ReportSettings.Default);

        Assert.Equal(2, plan.Findings.Count);
        Assert.All(plan.Findings, f => Assert.Null(f.Comment));
        Assert.False(plan.DiffKnown);
    }

    [Theory]
    [InlineData(FailLevel.Error, Severity.Warning, Conclusion.Neutral)]
    [InlineData(FailLevel.Error, Severity.Error, Conclusion.Failure)]
    [InlineData(FailLevel.Warning, Severity.Warning, Conclusion.Failure)]
    [InlineData(FailLevel.Warning, Severity.Info, Conclusion.Neutral)]
    [InlineData(FailLevel.Any, Severity.Info, Conclusion.Failure)]
    [InlineData(FailLevel.None, Severity.Error, Conclusion.Neutral)]
    public void Conclusion_FollowsTheFailOnLevel(FailLevel failOn, Severity severity, Conclusion expected) =>
        Assert.Equal(expected, ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(3, severity: severity)], Changes, ReportSettings.Default with { FailOn = failOn }).Conclusion);

    [Theory]
    [InlineData(TaskState.Succeeded, Conclusion.Success)]
    [InlineData(TaskState.Cancelled, Conclusion.Cancelled)]
    [InlineData(TaskState.TimedOut, Conclusion.TimedOut)]
    [InlineData(TaskState.Skipped, Conclusion.Skipped)]
    [InlineData(TaskState.Errored, Conclusion.Failure)]
    public void Conclusion_WithoutFindings_FollowsTheTasksEnd(TaskState state, Conclusion expected) =>
        Assert.Equal(expected, ReportPlanner.Plan("sc", state.EndedAs(), [], Changes, ReportSettings.Default).Conclusion);

    [Fact]
    public void FindingsOutsideTheChange_DoNotFailTheCheck() =>
        Assert.Equal(Conclusion.Success, ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F(1, severity: Severity.Error)], Changes, ReportSettings.Default).Conclusion);
}
