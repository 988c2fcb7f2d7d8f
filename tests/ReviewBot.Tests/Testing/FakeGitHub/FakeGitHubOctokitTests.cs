using Octokit;

namespace ReviewBot.Tests.Testing.FakeGitHub;

/// <summary>Octokit's typed clients (what the product uses) against the fake: shapes round-trip, pagination is followed.</summary>
public sealed class FakeGitHubOctokitTests
{
    private static GitHubClient Octokit(FakeGitHubClient gh, string token) =>
        new(new ProductHeaderValue("reviewbot-tests"), gh.Server.ApiUrl) { Credentials = new Credentials(token) };

    [Fact]
    public async Task Octokit_check_runs_statuses_files_and_comments_work_against_the_fake()
    {
        // Octokit puts a non-github.com base under /api/v3, as for GitHub Enterprise.
        await using var gh = await FakeGitHubClient.StartAsync("/api/v3");
        var app = Octokit(gh, FakeGitHubClient.AppToken);
        var user = Octokit(gh, FakeGitHubClient.Pat);

        var created = await app.Check.Run.Create("acme", "widgets", new NewCheckRun("lint", "abc")
        {
            Status = CheckStatus.InProgress,
            Output = new NewCheckRunOutput("t", "s") { Annotations = [new NewCheckRunAnnotation("src/a.cs", 3, 3, CheckAnnotationLevel.Warning, "m") { StartColumn = 1, EndColumn = 4 }] },
        });
        Assert.Equal(CheckStatus.InProgress, created.Status.Value);
        var done = await app.Check.Run.Update("acme", "widgets", created.Id, new CheckRunUpdate
        {
            Conclusion = CheckConclusion.Neutral,
            Output = new NewCheckRunOutput("t", "s") { Annotations = [new NewCheckRunAnnotation("src/b.cs", 1, 2, CheckAnnotationLevel.Notice, "n")] },
        });
        Assert.Equal(CheckConclusion.Neutral, done.Conclusion!.Value.Value);
        Assert.Equal(2, Assert.Single(gh.Server.CheckRuns("acme", "widgets")).Annotations.Count);
        await Assert.ThrowsAsync<ForbiddenException>(() => user.Check.Run.Create("acme", "widgets", new NewCheckRun("lint", "abc")));

        var status = await user.Repository.Status.Create("acme", "widgets", "abc",
            new NewCommitStatus { State = CommitState.Failure, Context = "reviewbot", Description = "2 findings" });
        Assert.Equal(CommitState.Failure, status.State.Value);

        var diff = string.Concat(Enumerable.Range(0, 45).Select(i => $"diff --git a/f{i} b/f{i}\n--- a/f{i}\n+++ b/f{i}\n@@ -1 +1 @@\n-a\n+b\n"));
        gh.Server.AddPullRequest("acme", "widgets", 9, "b", "h", diff);
        var files = await app.PullRequest.Files("acme", "widgets", 9);
        Assert.Equal(45, files.Count); // two pages, joined by following Link rel="next"
        Assert.Equal("@@ -1 +1 @@\n-a\n+b", files[44].Patch);

        var review = await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/pulls/9/reviews",
            new { body = "b", @event = "COMMENT", comments = new[] { new { path = "f3", line = 1, side = "RIGHT", body = "c" } } });
        Assert.Equal(200, (int)review.StatusCode);
        var comments = await user.PullRequest.ReviewComment.GetAll("acme", "widgets", 9);
        await app.PullRequest.ReviewComment.Delete("acme", "widgets", Assert.Single(comments).Id);
        Assert.Empty(gh.Server.Comments("acme", "widgets", 9));
    }
}
