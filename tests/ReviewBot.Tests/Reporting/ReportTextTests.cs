using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Tests.Reporting;

public sealed class ReportTextTests
{
    private static ReviewTask Task(TaskState state) => new()
    {
        Id = "t1", Repository = "o/r", CloneUrl = "https://example.com/o/r.git", HeadSha = "abc", CreatedAt = DateTimeOffset.UnixEpoch, State = state,
        Linter = new LinterSpec("sc", ["sc"], [], new Dictionary<string, string>(), null, "gcc", [], TimeSpan.FromMinutes(1)),
    };

    private static ReportPlan Plan(int n, string message = "m") => ReportPlanner.Plan("sc", TaskState.Failed.EndedAs(),
        [.. Enumerable.Range(1, n).Select(i => new Finding($"src/file{i}.sh", i, null, null, Severity.Warning, "SC1", $"{message} {i}"))], null, ReportSettings.Default);

    [Fact]
    public void BoundedText_NeverExceedsItsLimit_AndSaysHowMuchWasLeftOut()
    {
        var text = new BoundedText(1_000);
        for (var i = 0; i < 500; i++) text.Line(new string('x', 40));
        var s = text.ToString(n => $"{n} dropped");

        Assert.True(s.Length <= 1_000);
        Assert.EndsWith(" dropped", s);
        Assert.True(text.Full);
    }

    [Fact]
    public void SummaryAndDetails_OfAHugeRun_StayUnderGitHubsLimit_WithTheOverflowStated()
    {
        var plan = Plan(5_000, new string('y', 200));

        var summary = ReportText.Summary(Task(TaskState.Failed), plan, "https://rb/t1");
        var details = ReportText.Details(plan)!;

        Assert.True(summary.Length <= BoundedText.GitHubLimit);
        Assert.True(details.Length <= BoundedText.GitHubLimit);
        Assert.Contains("more finding(s) not listed here", details);
        Assert.Contains("5000 issues", summary);
    }

    [Fact]
    public void MessagesCannotBreakTheTable() =>
        Assert.Equal("a \\| b c", FindingText.Cell("a | b\nc"));

    [Fact]
    public void ErroredTask_SaysWhyInTheSummary()
    {
        var task = Task(TaskState.Errored) with { Error = "checkout failed: repository not found" };
        var plan = ReportPlanner.Plan("sc", TaskState.Errored.EndedAs(), [], null, ReportSettings.Default);

        Assert.Equal("Could not run", ReportText.Title(task, plan));
        Assert.Contains("checkout failed: repository not found", ReportText.Summary(task, plan, null));
    }

    [Fact]
    public void CommentBody_EndsWithTheMarker_AndMarkingOutdatedKeepsIt()
    {
        var planned = Plan(1).Findings[0];
        var body = CommentBody.Render("sc", planned);

        Assert.True(ReviewBot.Core.Review.Diffs.FingerprintMarker.TryRead(CommentBody.MarkOutdated(body), out var fp, out var linter));
        Assert.Equal((planned.Fingerprint, "sc"), (fp, linter));
        Assert.Equal(CommentBody.MarkOutdated(body), CommentBody.MarkOutdated(CommentBody.MarkOutdated(body)));
    }
}
