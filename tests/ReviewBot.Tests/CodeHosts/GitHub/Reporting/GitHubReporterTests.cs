using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub.Reporting;
using ReviewBot.Functions.CodeHosts.GitHub;
using ReviewBot.Functions.Reporting;
using ReviewBot.Tests.CodeHosts.GitHub.Auth;

namespace ReviewBot.Tests.CodeHosts.GitHub.Reporting;

/// <summary>The reporter alone against the fake GitHub, for the paths an agent run does not take.</summary>
public sealed class GitHubReporterTests
{
    private const string Diff = "diff --git a/app.sh b/app.sh\nindex 1111111..2222222 100644\n--- a/app.sh\n+++ b/app.sh\n@@ -1,2 +1,3 @@\n #!/bin/sh\n+echo $1\n echo done\n";

    private static ReviewTask Task() => new()
    {
        Id = "pr-test", Repository = "acme/app", CloneUrl = "https://github.com/acme/app.git", PullRequest = 7, HeadSha = "2222222222222222222222222222222222222222",
        CreatedAt = DateTimeOffset.UnixEpoch, State = TaskState.Failed, InstallationId = 1,
        Linter = new LinterSpec("sc", ["sc"], [], new Dictionary<string, string>(), null, "gcc", [], TimeSpan.FromMinutes(1)),
    };

    private static Finding F(int line) => new("app.sh", line, null, null, Severity.Warning, "SC2086", "Double quote");

    private static async Task<(AuthHarness, GitHubReporter)> Start()
    {
        var h = await AuthHarness.AppAsync();
        h.GitHub.AddPullRequest("acme", "app", 7, "1111111111111111111111111111111111111111", Task().HeadSha, Diff);
        return (h, new GitHubReporter(h.Clients, h.Services.GetRequiredService<IOptions<GitHubOptions>>()));
    }

    [Fact]
    public async Task WithoutTheAgentsDiff_TheChangedLinesComeFromThePullRequestsFiles()
    {
        var (h, reporter) = await Start();
        await using var _ = h;
        var input = new ReportInput(new TaskResultDocument([F(2), F(3)], [], ["app.sh"], Diff: null), null, 300);

        var progress = await ReportPipeline.PublishAsync(reporter, Task(), ReportStage.Completed, input, _ => System.Threading.Tasks.Task.CompletedTask, default);

        Assert.Contains(h.GitHub.Requests, r => r.Method == "GET" && r.Path.StartsWith("/repos/acme/app/pulls/7/files", StringComparison.Ordinal));
        var comment = Assert.Single(h.GitHub.Comments("acme", "app", 7));
        Assert.Equal(2, comment.Line); // line 3 is context: not reported in the default "added" mode
        Assert.Single(h.GitHub.CheckRuns("acme", "app")[0].Annotations);
        Assert.Contains("1 comment(s) posted", progress.Note);
    }

    [Theory]
    [InlineData("1111111111111111111111111111111111111111", false)]
    [InlineData("3333333333333333333333333333333333333333", true)]
    public async Task TheAgentsDiff_IsUsedOnlyWhenTheTasksBaseIsThePullRequestsBase(string taskBase, bool filesRead)
    {
        var (h, reporter) = await Start();
        await using var _ = h;
        var input = new ReportInput(new TaskResultDocument([F(2)], [], ["app.sh"], Diff), null, 300);

        await ReportPipeline.PublishAsync(reporter, Task() with { BaseSha = taskBase }, ReportStage.Completed, input, _ => System.Threading.Tasks.Task.CompletedTask, default);

        Assert.Contains(h.GitHub.Requests, r => r.Method == "GET" && r.Path.EndsWith("/repos/acme/app/pulls/7", StringComparison.Ordinal));
        Assert.Equal(filesRead, h.GitHub.Requests.Any(r => r.Path.Contains("/pulls/7/files", StringComparison.Ordinal)));
        Assert.Equal(2, Assert.Single(h.GitHub.Comments("acme", "app", 7)).Line);
    }

    [Fact]
    public async Task ARunWithoutFindings_ReadsNoFiles_AndPostsNoReview()
    {
        var (h, reporter) = await Start();
        await using var _ = h;

        await ReportPipeline.PublishAsync(reporter, Task() with { State = TaskState.Succeeded }, ReportStage.Completed,
            new ReportInput(new TaskResultDocument([], [], ["app.sh"]), null, 300), _ => System.Threading.Tasks.Task.CompletedTask, default);

        Assert.DoesNotContain(h.GitHub.Requests, r => r.Path.Contains("/files", StringComparison.Ordinal) || r.Path.EndsWith("/reviews", StringComparison.Ordinal));
        Assert.Equal("success", Assert.Single(h.GitHub.CheckRuns("acme", "app")).Conclusion);
    }

    [Fact]
    public async Task ResumingACompletion_SendsOnlyTheAnnotationsNotYetSent()
    {
        var (h, reporter) = await Start();
        await using var _ = h;
        var many = Enumerable.Range(0, 120).Select(i => new Finding("app.sh", 2, null, null, Severity.Warning, $"R{i}", $"message {i}")).ToList();
        var input = new ReportInput(new TaskResultDocument(many, [], ["app.sh"], Diff), null, 0);
        var saved = new List<ReportProgress>();
        var task = Task() with { Report = ReportSettings.Default with { Mode = ReportMode.Checks } };

        // The instance dies right after storing that the first 50 annotations went out.
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReportPipeline.PublishAsync(reporter, task, ReportStage.Completed, input, p =>
        {
            saved.Add(p);
            return p.AnnotationsSent == 50 ? throw new InvalidOperationException("crash") : System.Threading.Tasks.Task.CompletedTask;
        }, default));
        var resumed = task with { Reporting = saved[^1] };
        var done = await ReportPipeline.PublishAsync(reporter, resumed, ReportStage.Completed, input, p => { saved.Add(p); return System.Threading.Tasks.Task.CompletedTask; }, default);

        var run = Assert.Single(h.GitHub.CheckRuns("acme", "app"));
        Assert.Equal(120, run.Annotations.Count);
        Assert.Equal(120, run.Annotations.Select(a => a.Title).Distinct().Count());
        Assert.Equal(120, done.AnnotationsSent);
    }
}
