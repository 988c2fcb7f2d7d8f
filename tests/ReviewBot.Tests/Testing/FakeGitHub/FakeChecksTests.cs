using System.Net.Http.Json;

namespace ReviewBot.Tests.Testing.FakeGitHub;

/// <summary>Check runs, commit statuses and the content-creation limit.</summary>
public sealed class FakeChecksTests
{
    private static object[] Annotations(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new { path = "src/a.cs", start_line = i, end_line = i, annotation_level = "warning", message = $"m{i}" })];

    [Fact]
    public async Task A_personal_access_token_may_not_write_check_runs()
    {
        await using var gh = await FakeGitHubClient.StartAsync();
        var response = await FakeGitHubClient.PostAsync(gh.User, "repos/acme/widgets/check-runs", new { name = "lint", head_sha = "abc" });
        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("Resource not accessible by personal access token", (string)(await FakeGitHubClient.JsonAsync(response))["message"]!);
        Assert.Empty(gh.Server.CheckRuns("acme", "widgets"));
    }

    [Fact]
    public async Task Annotations_are_limited_to_50_a_request_and_appended_on_update()
    {
        await using var gh = await FakeGitHubClient.StartAsync();
        var tooMany = await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/check-runs",
            new { name = "lint", head_sha = "abc", status = "in_progress", output = new { title = "t", summary = "s", annotations = Annotations(51) } });
        Assert.Equal(422, (int)tooMany.StatusCode);
        Assert.Contains("No more than 50 items are allowed; 51 were supplied.", (string)(await FakeGitHubClient.JsonAsync(tooMany))["message"]!, StringComparison.Ordinal);
        Assert.Empty(gh.Server.CheckRuns("acme", "widgets"));

        var created = await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/check-runs",
            new { name = "lint", head_sha = "abc", status = "in_progress", output = new { title = "t", summary = "s", annotations = Annotations(50) } });
        Assert.Equal(201, (int)created.StatusCode);
        var id = (long)(await FakeGitHubClient.JsonAsync(created))["id"]!;
        var noSummary = await gh.App.PatchAsync($"repos/acme/widgets/check-runs/{id}", JsonContent.Create(new { output = new { title = "t", annotations = Annotations(1) } }));
        Assert.Equal(422, (int)noSummary.StatusCode);
        var updated = await gh.App.PatchAsync($"repos/acme/widgets/check-runs/{id}",
            JsonContent.Create(new { conclusion = "failure", output = new { title = "t2", summary = "s2", annotations = Annotations(30) } }));
        Assert.Equal(200, (int)updated.StatusCode);

        var run = Assert.Single(gh.Server.CheckRuns("acme", "widgets"));
        Assert.Equal(80, run.Annotations.Count);
        Assert.Equal(("completed", "failure", "t2"), (run.Status, run.Conclusion, run.OutputTitle));
        Assert.Equal(["in_progress", "completed"], run.History.Select(h => h.Status));

        var listed = await FakeGitHubClient.JsonAsync(await gh.User.GetAsync("repos/acme/widgets/commits/abc/check-runs?check_name=lint"));
        Assert.Equal(1, (int)listed["total_count"]!);
        Assert.Equal(80, (int)listed["check_runs"]![0]!["output"]!["annotations_count"]!);
    }

    [Theory]
    [InlineData("summary", 65536, "Only 65535 characters are allowed; 65536 were supplied.")]
    [InlineData("columns", 0, "only allowed when start_line equals end_line")]
    [InlineData("completed", 0, "conclusion")]
    public async Task Check_run_input_is_validated(string what, int size, string expected)
    {
        await using var gh = await FakeGitHubClient.StartAsync();
        object body = what switch
        {
            "summary" => new { name = "lint", head_sha = "abc", output = new { title = "t", summary = new string('x', size) } },
            "columns" => new
            {
                name = "lint", head_sha = "abc",
                output = new { title = "t", summary = "s", annotations = new[] { new { path = "a", start_line = 1, end_line = 2, start_column = 1, annotation_level = "notice", message = "m" } } },
            },
            _ => new { name = "lint", head_sha = "abc", status = "completed" },
        };
        var response = await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/check-runs", body);
        Assert.Equal(422, (int)response.StatusCode);
        Assert.Contains(expected, (string)(await FakeGitHubClient.JsonAsync(response))["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statuses_are_validated_and_listed()
    {
        await using var gh = await FakeGitHubClient.StartAsync();
        var tooLong = await FakeGitHubClient.PostAsync(gh.User, "repos/acme/widgets/statuses/abc", new { state = "failure", description = new string('d', 141), context = "reviewbot" });
        Assert.Equal(422, (int)tooLong.StatusCode);
        var ok = await FakeGitHubClient.PostAsync(gh.User, "repos/acme/widgets/statuses/abc", new { state = "failure", description = "3 findings", context = "reviewbot" });
        Assert.Equal(201, (int)ok.StatusCode);

        var status = Assert.Single(gh.Server.Statuses("acme", "widgets", "abc"));
        Assert.Equal(("failure", "reviewbot", "reviewbot-user"), (status.State, status.Context, status.Creator.Login));
        var combined = await FakeGitHubClient.JsonAsync(await gh.App.GetAsync("repos/acme/widgets/commits/abc/status"));
        Assert.Equal("failure", (string)combined["state"]!);
    }

    [Fact]
    public async Task Content_creation_beyond_the_minute_budget_gets_the_secondary_limit_403()
    {
        await using var gh = await FakeGitHubClient.StartAsync();
        gh.Server.ContentCreationLimitPerMinute = 3;
        for (var i = 0; i < 3; i++)
            Assert.Equal(201, (int)(await FakeGitHubClient.PostAsync(gh.User, "repos/acme/widgets/statuses/abc", new { state = "pending" })).StatusCode);

        var refused = await FakeGitHubClient.PostAsync(gh.User, "repos/acme/widgets/statuses/abc", new { state = "pending" });
        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("secondary rate limit", (string)(await FakeGitHubClient.JsonAsync(refused))["message"]!, StringComparison.Ordinal);
        Assert.Equal(1, gh.Server.SecondaryLimitHits);
        // Another credential has its own budget; reads are never charged.
        Assert.Equal(201, (int)(await FakeGitHubClient.PostAsync(gh.App, "repos/acme/widgets/statuses/abc", new { state = "pending" })).StatusCode);
        Assert.Equal(200, (int)(await gh.User.GetAsync("repos/acme/widgets/commits/abc/statuses")).StatusCode);

        gh.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(201, (int)(await FakeGitHubClient.PostAsync(gh.User, "repos/acme/widgets/statuses/abc", new { state = "success" })).StatusCode);
        Assert.Equal(5, gh.Server.Statuses("acme", "widgets", "abc").Count);
        Assert.Equal(6, gh.Server.WriteRequests("acme", "widgets"));
    }
}
