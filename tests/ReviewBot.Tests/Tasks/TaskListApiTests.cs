using System.Net;
using System.Text.Json;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Tasks;

/// <summary><c>GET /api/tasks</c> and a job's runs: a JSON array per page, the next one in the Link header, and a 400
/// naming the parameter for a limit out of range or a cursor from elsewhere.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TaskListApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite, Configs.Single("lint", "\".sh\"", "[\"true\"]"));
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        await _app.Tasks.ImportAsync([.. Enumerable.Range(0, 7).Select(i => new ReviewTask
        {
            Id = $"t{i}",
            Repository = i < 5 ? "octo/one" : "octo/two",
            CloneUrl = "https://github.com/octo/one.git",
            HeadSha = new string('a', 40),
            Linter = new LinterSpec("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
            State = TaskState.Succeeded,
            JobName = i < 3 ? "nightly" : null,
            CreatedAt = at.AddMinutes(i),
            Reporting = ReportProgress.Off("test"),
        })], default);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(List<string> Ids, string? Next)> PageAsync(string url)
    {
        var response = await _app.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
        var link = response.Headers.TryGetValues("Link", out var values) ? values.Single() : null;
        return (ids, link is null ? null : link[(link.IndexOf('<') + 1)..link.IndexOf('>')]);
    }

    private async Task<List<string>> FollowAsync(string url)
    {
        var all = new List<string>();
        for (string? next = url; next is not null;)
        {
            var (ids, link) = await PageAsync(next);
            Assert.True(link is null || ids.Count > 0, "a page that is followed by another is not empty");
            all.AddRange(ids);
            next = link;
        }
        return all;
    }

    [Fact]
    public async Task TheListPagesNewestFirst_FollowingTheLinkHeader_WithItsFilters()
    {
        var (first, next) = await PageAsync("/api/tasks?repo=octo/one&limit=2");

        Assert.Equal(["t4", "t3"], first);
        Assert.StartsWith("/api/tasks?repo=octo%2Fone&limit=2&cursor=", next);
        Assert.Equal(["t4", "t3", "t2", "t1", "t0"], await FollowAsync("/api/tasks?repo=octo/one&limit=2"));
        Assert.Equal(["t6", "t5", "t4", "t3", "t2", "t1", "t0"], await FollowAsync("/api/tasks?limit=3"));
        Assert.Equal(["t2", "t1", "t0"], await FollowAsync("/api/jobs/nightly/tasks?limit=2"));
    }

    [Theory]
    [InlineData("/api/tasks?limit=0", "limit")]
    [InlineData("/api/tasks?limit=201", "limit")]
    [InlineData("/api/tasks?limit=ten", "limit")]
    [InlineData("/api/tasks?cursor=bm90IGEgY3Vyc29y", "cursor")]
    [InlineData("/api/tasks?cursor=%%%", "cursor")]
    [InlineData("/api/jobs/nightly/tasks?limit=500", "limit")]
    public async Task ALimitOutOfRangeOrAForeignCursor_IsA400NamingIt(string url, string field)
    {
        var response = await _app.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ACursorOfOneList_IsRefusedByAnother()
    {
        var (_, next) = await PageAsync("/api/tasks?repo=octo/one&limit=2");
        var link = next!;
        var cursor = link[(link.IndexOf("cursor=", StringComparison.Ordinal) + 7)..];

        var response = await _app.Http.GetAsync($"/api/tasks?state=succeeded&cursor={cursor}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_CountStorageTransactionsPerTableAndOperation()
    {
        await PageAsync("/api/tasks?limit=2");

        var metrics = await _app.Http.GetStringAsync("/metrics");

        var samples = ReviewBot.Tests.Telemetry.PrometheusText.Parse(metrics).Samples;
        Assert.Contains(samples, s => s.Name == "reviewbot_storage_transactions_total" && s.Labels["resource"] == "tasks" && s.Labels["operation"] == "point-read" && s.Value >= 1);
        Assert.Contains(samples, s => s.Name == "reviewbot_storage_entities_read_total" && s.Labels["resource"] == "taskindex" && s.Labels["operation"] == "query" && s.Value >= 1);
    }
}
