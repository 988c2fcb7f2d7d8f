using System.Text.Json;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitHub;
using static ReviewBot.Tests.CodeHosts.GitHub.Reporting.GitHubReportingHarness;

namespace ReviewBot.Tests.CodeHosts.GitHub.Reporting;

/// <summary>Findings where reviewers look, end to end: a real shellcheck run reported on the fake GitHub.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitHubReportingFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Config = """
        linters:
          shellcheck:
            languages: [".sh"]
            command: ["shellcheck"]
            args: ["-f", "gcc", "{files}"]
            format: gcc
            nodeLabels: "linux"
            timeout: 00:01:00
        """;

    private static readonly Dictionary<string, string> Base = new() { ["scripts/build.sh"] = "#!/bin/sh\necho \"building\"\n" };

    /// <summary>Three findings on added lines: SC2086 on lines 3 and 4 of build.sh, SC2045 (an error) in new.sh.</summary>
    private static readonly Dictionary<string, string?> Head = new()
    {
        ["scripts/build.sh"] = "#!/bin/sh\necho \"building\"\nrm -rf $1/out\ncp $2 /tmp\n",
        ["scripts/new.sh"] = "#!/bin/sh\nfor f in $(ls); do echo \"$f\"; done\n",
    };

    private GitRepo _repo = null!;
    private GitHubReportingHarness? _h;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(Base, Head);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<GitHubReportingHarness> Start(bool asApp = true, bool agent = true, string config = Config, string? seededDiff = null, IDictionary<string, string?>? settings = null) =>
        _h = await GitHubReportingHarness.StartAsync(azurite, _repo, config, asApp, agent, settings, seededDiff);

    private static List<ReviewComment> Mine(FakeGitHubServer github) =>
        [.. github.Comments(Owner, Name, Number).Where(c => c.InReplyToId is null && FingerprintMarker.TryRead(c.Body, out _, out _))];

    [Fact]
    public async Task FirstPush_GetsACompletedCheckRunWithEveryAnnotation_AndOneReviewOnTheChangedLines()
    {
        var h = await Start();
        var id = (await h.DeliverAsync()).Single();
        var task = await h.ReportedAsync(id);

        var run = Assert.Single(h.GitHub.CheckRuns(Owner, Name));
        Assert.Equal(("shellcheck", _repo.HeadSha, "completed", "failure"), (run.Name, run.HeadSha, run.Status, run.Conclusion));
        Assert.Equal(id, run.ExternalId);
        Assert.Equal($"https://reviewbot.example.com/api/tasks/{id}", run.DetailsUrl);
        Assert.Equal(task.FindingCount, run.Annotations.Count);
        Assert.Contains(run.Annotations, a => a is { Path: "scripts/build.sh", StartLine: 3, AnnotationLevel: "notice", Title: "SC2086" });
        Assert.Contains(run.Annotations, a => a is { Path: "scripts/new.sh", StartLine: 2, AnnotationLevel: "failure", Title: "SC2045" });
        Assert.Contains("found 3 issues on the changed lines", run.OutputSummary);

        var review = Assert.Single(h.GitHub.Reviews(Owner, Name, Number));
        Assert.Equal(("COMMENTED", _repo.HeadSha), (review.State, review.CommitId));
        Assert.Equal(["scripts/build.sh:3", "scripts/build.sh:4", "scripts/new.sh:2"],
            review.Comments.Select(c => $"{c.Path}:{c.Line}").Order());
        Assert.All(review.Comments, c => Assert.Equal("RIGHT", c.Side));
        Assert.All(review.Comments, c => Assert.True(FingerprintMarker.TryRead(c.Body, out _, out var linter) && linter == "shellcheck"));
        Assert.Contains("check run failure", task.Reporting.Note);
        Assert.Null(task.Reporting.Error);
    }

    [Fact]
    public async Task WithFixedDelete_SecondPush_PostsNoDuplicate_DeletesTheFixedFindingsComment_AndKeepsARepliedOneAsOutdated()
    {
        var h = await Start(config: Config.Replace("timeout: 00:01:00", "timeout: 00:01:00\n    fixed: delete", StringComparison.Ordinal));
        await h.ReportedAsync((await h.DeliverAsync()).Single());
        var first = Mine(h.GitHub);
        Assert.Equal(3, first.Count);
        var onNewSh = first.Single(c => c.Path == "scripts/new.sh");
        h.GitHub.AddHumanReply(onNewSh.Id, "octocat", "Will fix in a follow-up.");

        // $1 is fixed, the cp line moves down by two, and new.sh's loop (replied to) is fixed too.
        var second = await h.PushAsync(new Dictionary<string, string?>
        {
            ["scripts/build.sh"] = "#!/bin/sh\necho \"building\"\necho step 1\necho step 2\nrm -rf \"$1\"/out\ncp $2 /tmp\n",
            ["scripts/new.sh"] = "#!/bin/sh\nfor f in ./*.txt; do echo \"$f\"; done\n",
        });
        var task = await h.ReportedAsync(second.Single());

        var now = Mine(h.GitHub);
        var moved = Assert.Single(now, c => c.Body.Contains("SC2086", StringComparison.Ordinal) && !CommentBody.IsMarkedOutdated(c.Body));
        Assert.Equal(first.Single(c => c.Line == 4).Id, moved.Id); // the $2 finding keeps its first comment
        Assert.Contains(first.Single(c => c.Path == "scripts/build.sh" && c.Line == 3).Id, h.GitHub.DeletedCommentIds);
        var replied = Assert.Single(now, c => c.Id == onNewSh.Id);
        Assert.StartsWith(CommentBody.OutdatedNote, replied.Body);
        Assert.DoesNotContain(onNewSh.Id, h.GitHub.DeletedCommentIds);
        Assert.Empty(h.GitHub.ThreadMutations);
        Assert.Single(h.GitHub.Reviews(Owner, Name, Number), r => r.User.Type == "Bot" && r.Comments.Any(c => c.InReplyToId is null));
        Assert.Contains("0 comment(s) posted", task.Reporting.Note);
        Assert.Equal("neutral", h.GitHub.CheckRuns(Owner, Name).Single(r => r.HeadSha == _repo.HeadSha).Conclusion);
    }

    [Fact]
    public async Task TaskWaitingForAnAgent_HasAQueuedCheckRun_ThatANewerPushCompletesAsCancelled()
    {
        var h = await Start(agent: false);
        var firstHead = _repo.HeadSha;
        var first = (await h.DeliverAsync()).Single();
        await h.App.WaitForTaskAsync(first, t => t.Reporting.Stage == ReportStage.Queued, Timeouts.Long, "queued check run");
        var queued = Assert.Single(h.GitHub.CheckRuns(Owner, Name));
        Assert.Equal("queued", queued.Status);
        Assert.Contains("Waiting for an agent matching `linux`", queued.OutputSummary);

        var second = (await h.PushAsync(new Dictionary<string, string?> { ["scripts/new.sh"] = "#!/bin/sh\necho hi\n" })).Single();
        var cancelled = await h.ReportedAsync(first);

        Assert.Equal(TaskState.Cancelled, cancelled.State);
        var run = h.GitHub.CheckRuns(Owner, Name).Single(r => r.HeadSha == firstHead);
        Assert.Equal(("completed", "cancelled"), (run.Status, run.Conclusion));
        Assert.Equal("queued", h.GitHub.CheckRuns(Owner, Name).Single(r => r.ExternalId == second).Status);
        Assert.Empty(h.GitHub.Reviews(Owner, Name, Number)); // a cancelled run says nothing about the code
    }

    [Fact]
    public async Task WithATokenInsteadOfAnApp_ACommitStatusStandsInForTheCheckRun()
    {
        var h = await Start(asApp: false);
        var id = (await h.DeliverAsync()).Single();
        await h.ReportedAsync(id);

        Assert.Empty(h.GitHub.CheckRuns(Owner, Name));
        Assert.DoesNotContain(h.GitHub.Requests, r => r.Path.Contains("/check-runs", StringComparison.Ordinal));
        var statuses = h.GitHub.Statuses(Owner, Name, _repo.HeadSha);
        Assert.All(statuses, s => Assert.Equal("reviewbot/shellcheck", s.Context));
        Assert.Equal("failure", statuses[^1].State);
        Assert.Equal("3 findings (1 error)", statuses[^1].Description);
        Assert.Equal(3, Assert.Single(h.GitHub.Reviews(Owner, Name, Number)).Comments.Count);
    }

    [Fact]
    public async Task CommentGitHubRefuses_IsNamedInTheSummary_AndTheOthersArePosted()
    {
        // GitHub's idea of the diff lacks new.sh (say, a force-push it has not caught up with): its comment is refused.
        var seeded = string.Join("diff --git", _repo.Diff().Split("diff --git").Where(part => !part.Contains("scripts/new.sh", StringComparison.Ordinal)));
        var h = await Start(seededDiff: seeded);
        var id = (await h.DeliverAsync()).Single();
        var task = await h.ReportedAsync(id);

        Assert.Equal(["scripts/build.sh:3", "scripts/build.sh:4"], Mine(h.GitHub).Select(c => $"{c.Path}:{c.Line}").Order());
        var run = Assert.Single(h.GitHub.CheckRuns(Owner, Name));
        Assert.Contains("1 finding could not be placed as line comments", run.OutputSummary);
        Assert.Contains("`scripts/new.sh:2` Iterating over ls output is fragile. Use globs. — GitHub: Pull request review thread path is invalid", run.OutputSummary);
        Assert.Equal(3, run.Annotations.Count);
        Assert.Contains("1 refused", task.Reporting.Note);
    }

    [Fact]
    public async Task SecondaryRateLimitOnTheReview_IsWaitedOut_AndTheReviewStillLands()
    {
        var h = await Start();
        h.GitHub.RefuseNextWithSecondaryLimit("POST", $"/pulls/{Number}/reviews", retryAfterSeconds: 1);
        var task = await h.ReportedAsync((await h.DeliverAsync()).Single());

        Assert.Equal(3, Assert.Single(h.GitHub.Reviews(Owner, Name, Number)).Comments.Count);
        Assert.Equal(2, h.GitHub.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/reviews", StringComparison.Ordinal)));
        Assert.Null(task.Reporting.Error);
    }

    [Fact]
    public async Task ReportNone_RecordsWhatWouldHaveBeenPosted_AndPostsNothing()
    {
        var h = await Start(config: Config.Replace("timeout: 00:01:00", "timeout: 00:01:00\n    report: none"));
        var id = (await h.DeliverAsync()).Single();
        var task = await h.ReportedAsync(id);

        Assert.DoesNotContain(h.GitHub.Requests, r => r.Method != "GET" && r.Path.StartsWith("/repos/", StringComparison.Ordinal));
        Assert.StartsWith("dry run", task.Reporting.Note);
        var details = await h.App.GetJsonAsync<JsonElement>($"/api/tasks/{id}");
        var preview = details.GetProperty("preview");
        Assert.Equal("failure", preview.GetProperty("conclusion").GetString());
        Assert.Equal(3, preview.GetProperty("annotations").GetInt32());
        Assert.Equal(["scripts/build.sh:3", "scripts/build.sh:4", "scripts/new.sh:2"],
            preview.GetProperty("comments").EnumerateArray().Select(c => $"{c.GetProperty("path").GetString()}:{c.GetProperty("line").GetInt32()}").Order());
    }

    [Fact]
    public async Task CheckRunRerequested_RunsTheLinterAgain_WithANewCheckRun()
    {
        var h = await Start();
        var id = (await h.DeliverAsync()).Single();
        await h.ReportedAsync(id);
        var payload = Deliveries.Load("check_run.rerequested");
        payload["repository"]!["full_name"] = Repository;
        payload["check_run"]!["head_sha"] = _repo.HeadSha;
        payload["check_run"]!["name"] = "shellcheck";
        payload["check_run"]!["external_id"] = id;
        var response = await h.App.PostDeliveryAsync("check_run", System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var rerun = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;

        var done = await h.ReportedAsync(rerun);

        Assert.Equal(TaskState.Failed, done.State);
        Assert.Equal(2, h.GitHub.CheckRuns(Owner, Name).Count(r => r is { Name: "shellcheck", Status: "completed" }));
        Assert.Equal(3, Mine(h.GitHub).Count); // the re-run finds its comments already there
    }

    [Fact]
    public async Task ReportThatFailed_IsKeptPending_AndPublishedByTheNextInstance()
    {
        var h = await Start(settings: new Dictionary<string, string?> { ["ReviewBot:Reporting:RetryDelay"] = "01:00:00" });
        for (var i = 0; i < 4; i++) h.GitHub.RefuseNext("POST", "/check-runs", 503, "Service Unavailable");
        var id = (await h.DeliverAsync()).Single();
        var failed = await h.App.WaitForTaskAsync(id, t => t.State.IsTerminal() && t.Reporting.Error is not null, Timeouts.Long, "a failed report");
        Assert.False(failed.Reporting.Done);
        Assert.Contains("Service Unavailable", failed.Reporting.Error);

        await h.RestartAppAsync(new Dictionary<string, string?> { ["ReviewBot:Reporting:RetryDelay"] = "00:00:00.100" });
        var reported = await h.ReportedAsync(id);

        Assert.Null(reported.Reporting.Error);
        Assert.Equal(("completed", "failure"), (h.GitHub.CheckRuns(Owner, Name).Single().Status, h.GitHub.CheckRuns(Owner, Name).Single().Conclusion));
        Assert.Equal(3, Mine(h.GitHub).Count);
    }
}
