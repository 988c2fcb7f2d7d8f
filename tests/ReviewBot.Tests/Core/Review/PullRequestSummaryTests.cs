using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;

namespace ReviewBot.Tests.Core.Review;

public sealed class PullRequestSummaryTests
{
    private static SummaryRun Run(string linter, params (string Fp, Severity Sev)[] findings) =>
        new(linter, findings.Length == 0 ? Conclusion.Success : Conclusion.Neutral, $"https://rb.example/{linter}", [.. findings.Select(f => (f.Fp, f.Sev))]);

    private static string Fp(char c) => new(c, 16);

    [Fact]
    public void ThreeLintersThroughTwoPushes_CountNewFixedAndOutstanding()
    {
        string? body = null;
        body = PullRequestSummary.Update(body, "head1", Run("sc", (Fp('a'), Severity.Error)), SummaryMode.On);
        body = PullRequestSummary.Update(body, "head1", Run("fmt", (Fp('b'), Severity.Warning)), SummaryMode.On);
        body = PullRequestSummary.Update(body, "head1", Run("todo", (Fp('c'), Severity.Warning), (Fp('d'), Severity.Info)), SummaryMode.On);
        Assert.Contains("At `head1`: **4 new**, 0 fixed, 0 outstanding findings.", body);

        body = PullRequestSummary.Update(body, "head2", Run("sc"), SummaryMode.On);
        Assert.Contains("At `head2`: **0 new**, 1 fixed, 0 outstanding findings.", body);
        Assert.Contains("| fmt | pending | 0 | 0 | 0 |", body); // not run at head2 yet: nothing counted as fixed

        body = PullRequestSummary.Update(body, "head2", Run("fmt", (Fp('e'), Severity.Warning)), SummaryMode.On);
        body = PullRequestSummary.Update(body, "head2", Run("todo", (Fp('d'), Severity.Info)), SummaryMode.On);

        Assert.Contains("At `head2`: **1 new**, 3 fixed, 1 outstanding findings.", body);
        Assert.Contains("| sc | [success](https://rb.example/sc) | 0 | 1 error | 0 |", body);
        Assert.Contains("| fmt | [neutral](https://rb.example/fmt) | 1 warning | 1 warning | 0 |", body);
        Assert.Contains("| todo | [neutral](https://rb.example/todo) | 0 | 1 warning | 1 notice |", body);
        Assert.True(PullRequestSummary.IsSummary(body));
    }

    [Fact]
    public void TheSameRunTwice_GivesTheSameText()
    {
        var once = PullRequestSummary.Update(null, "h", Run("sc", (Fp('a'), Severity.Error)), SummaryMode.On);

        Assert.Equal(once, PullRequestSummary.Update(once, "h", Run("sc", (Fp('a'), Severity.Error)), SummaryMode.On));
    }

    [Fact]
    public void OnFindings_IsSilentUntilThereIsAFinding_ThenSaysAllClear()
    {
        Assert.Null(PullRequestSummary.Update(null, "h1", Run("sc"), SummaryMode.OnFindings));
        Assert.Null(PullRequestSummary.Update(null, "h1", Run("sc", (Fp('a'), Severity.Error)), SummaryMode.Off));

        var found = PullRequestSummary.Update(null, "h1", Run("sc", (Fp('a'), Severity.Error)), SummaryMode.OnFindings);
        var clear = PullRequestSummary.Update(found, "h2", Run("sc"), SummaryMode.OnFindings);
        var clearAgain = PullRequestSummary.Update(clear, "h3", Run("sc"), SummaryMode.OnFindings);

        Assert.Contains("1 fixed", clear);
        Assert.Contains("all clear", clearAgain);
    }

    [Fact]
    public void ACommentThatOnlyQuotesTheMarker_IsNotASummary()
    {
        var body = PullRequestSummary.Update(null, "h", Run("sc", (Fp('a'), Severity.Error)), SummaryMode.On)!;

        Assert.False(PullRequestSummary.IsSummary("> " + body.Split('\n')[^1]));
    }

    [Fact]
    public void ALateRunOfAnOlderHead_LeavesTheSummaryAtTheNewerHead()
    {
        var t1 = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
        var first = PullRequestSummary.Update(null, "head1", Run("sc", (Fp('a'), Severity.Error)), SummaryMode.On, t1);
        var second = PullRequestSummary.Update(first, "head2", Run("sc"), SummaryMode.On, t1.AddMinutes(5));

        Assert.Null(PullRequestSummary.Update(second, "head1", Run("fmt", (Fp('b'), Severity.Error)), SummaryMode.On, t1));
        Assert.Contains("At `head2`", second);
        // A run at the same head, or a newer one, still moves it.
        Assert.NotNull(PullRequestSummary.Update(second, "head2", Run("fmt", (Fp('b'), Severity.Error)), SummaryMode.On, t1));
        Assert.Contains("At `head3`", PullRequestSummary.Update(second, "head3", Run("sc"), SummaryMode.On, t1.AddMinutes(9)));
    }

    [Fact]
    public void GitLabsPerLinterNoteMarker_IsNotTheSummary() =>
        Assert.False(PullRequestSummary.IsSummary("<!-- reviewbot:summary linter=sc -->\n**ReviewBot · sc**: No findings"));
}
