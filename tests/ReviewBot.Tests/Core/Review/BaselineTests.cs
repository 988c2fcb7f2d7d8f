using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Tests.Core.Review;

/// <summary><c>filter: new</c>: the head's findings the merge base did not have, by fingerprint, never by line number.</summary>
public sealed class BaselineTests
{
    private static readonly ReportSettings New = ReportSettings.Default with { Filter = FilterMode.New, FailOn = FailLevel.Warning };

    private static Finding F(string file, int line, string text, Severity severity = Severity.Info, string rule = "SC2086", string message = "Double quote") =>
        new(file, line, 1, null, severity, rule, message) { LineText = text };

    [Fact]
    public void AFindingWhoseLineMoved_IsStillTheBases()
    {
        var split = Baseline.Split("sc", [F("a.sh", 7, "cd /tmp"), F("a.sh", 9, "echo $1")], [F("a.sh", 2, "cd /tmp")]);

        Assert.Equal(1, split.Existing);
        Assert.Equal(9, Assert.Single(split.New).Line);
    }

    [Fact]
    public void ASecondCopyOfAnOldFinding_IsNew()
    {
        var split = Baseline.Split("sc", [F("a.sh", 2, "echo $1"), F("a.sh", 5, "echo $1")], [F("a.sh", 2, "echo $1")]);

        Assert.Equal(1, split.Existing);
        Assert.Equal(5, Assert.Single(split.New).Line);
    }

    [Fact]
    public void TheSameMessageOnAChangedLine_IsNew()
    {
        var split = Baseline.Split("sc", [F("a.sh", 2, "echo $1 $2")], [F("a.sh", 2, "echo $1")]);

        Assert.Equal(0, split.Existing);
        Assert.Single(split.New);
    }

    [Fact]
    public void AFindingInARenamedFile_IsComparedUnderItsOldPath()
    {
        var diff = "diff --git a/old.sh b/new.sh\nsimilarity index 90%\nrename from old.sh\nrename to new.sh\n--- a/old.sh\n+++ b/new.sh\n@@ -1,2 +1,3 @@\n #!/bin/sh\n echo $1\n+true\n";

        var split = Baseline.Split("sc", [F("new.sh", 2, "echo $1")], [F("old.sh", 2, "echo $1")], ChangedLines.FromGitDiff(diff));

        Assert.Equal(1, split.Existing);
        Assert.Empty(split.New);
    }

    [Fact]
    public void FilterNew_LeavesOutTheBasesFindings_AndFailOnCountsOnlyNewOnes()
    {
        var diff = "diff --git a/a.sh b/a.sh\n--- a/a.sh\n+++ b/a.sh\n@@ -1,2 +1,4 @@\n #!/bin/sh\n+set -u\n+echo $1\n cd /tmp\n";
        var old = F("a.sh", 4, "cd /tmp", Severity.Warning, "SC2164", "Use 'cd ... || exit'");

        var plan = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [old with { Line = 4 }, F("a.sh", 3, "echo $1")], ChangedLines.FromGitDiff(diff), New,
            baseFindings: [old with { Line = 2 }]);

        Assert.Equal(3, Assert.Single(plan.Findings).Finding.Line);
        Assert.Equal(1, plan.ExistingLeftOut);
        Assert.Null(plan.BaselineUnavailable);
        Assert.Equal(Conclusion.Neutral, plan.Conclusion); // the old warning would fail under failOn: warning
    }

    [Fact]
    public void FilterNew_WithoutTheBasesFindings_ReportsEveryFinding_AndSaysWhy()
    {
        var diff = "diff --git a/a.sh b/a.sh\n--- a/a.sh\n+++ b/a.sh\n@@ -1,2 +1,3 @@\n #!/bin/sh\n+echo $1\n cd /tmp\n";

        var plan = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F("a.sh", 3, "cd /tmp", Severity.Warning), F("a.sh", 2, "echo $1")], ChangedLines.FromGitDiff(diff), New);

        Assert.Equal(2, plan.Findings.Count);
        Assert.Equal(0, plan.ExistingLeftOut);
        Assert.Contains("predates filter: new", plan.BaselineUnavailable);
        Assert.Equal(Conclusion.Failure, plan.Conclusion);
    }

    [Fact]
    public void OtherFilters_IgnoreTheBasesFindings()
    {
        var plan = ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(), [F("a.sh", 2, "echo $1")], null, ReportSettings.Default, baseFindings: [F("a.sh", 2, "echo $1")]);

        Assert.Single(plan.Findings);
        Assert.Null(plan.BaselineUnavailable);
    }
}
