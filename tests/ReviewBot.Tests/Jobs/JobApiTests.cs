using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Jobs;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Jobs;

/// <summary>/api/jobs and the task actions on the real app and Azurite. No agent: runs stay queued.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Yaml = """
        jobs:
          from-file:
            trigger: manual
            repository: acme/app
            cloneUrl: https://example.invalid/acme/app.git
            steps: ["echo from the file"]
        """;

    private const string Nightly = """
        {
          "name": "nightly",
          "trigger": { "cron": "0 0 2 * * *", "timeZone": "Europe/Berlin" },
          "repository": "acme/app",
          "ref": "main",
          "nodeLabels": "linux && docker",
          "steps": [ { "name": "build", "run": "make" }, { "run": "make test" } ],
          "variables": { "CONFIGURATION": "Release" },
          "secrets": { "TOKEN": "t0ps3cret" },
          "timeout": "30m",
          "retries": 2,
          "concurrency": "forbid",
          "misfire": "skip"
        }
        """;

    // 2026-03-27 12:00Z, a Friday; Berlin moves to summer time on Sunday 2026-03-29 at 02:00.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero));
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, Yaml);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        if (field is not null) Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    private async Task<string> RunAsync(string job, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{job}/run");
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await _app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await BodyAsync(response)).GetProperty("taskId").GetString()!;
    }

    [Fact]
    public async Task CreateListGetReplace_HidesSecretsAndChecksTheETag()
    {
        var created = await _app.Http.PostAsync("/api/jobs", Json(Nightly));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/jobs/nightly", created.Headers.Location?.OriginalString);
        await AssertProblemAsync(await _app.Http.PostAsync("/api/jobs", Json(Nightly)), HttpStatusCode.Conflict, null);

        var list = await _app.GetJsonAsync<JsonElement>("/api/jobs");
        Assert.Equal(["from-file", "nightly"], list.EnumerateArray().Select(j => j.GetProperty("name").GetString()));
        Assert.Equal(["config", "api"], list.EnumerateArray().Select(j => j.GetProperty("origin").GetString()));
        Assert.Equal(JsonValueKind.String, list[1].GetProperty("nextRun").ValueKind);

        var got = await _app.Http.GetAsync("/api/jobs/nightly");
        var etag = got.Headers.ETag?.ToString();
        Assert.NotNull(etag);
        var job = await BodyAsync(got);
        Assert.Equal("***", job.GetProperty("secrets").GetProperty("TOKEN").GetString());
        Assert.DoesNotContain("t0ps3cret", job.GetRawText());
        Assert.Equal(("cron", "0 0 2 * * *", "Europe/Berlin"), (job.GetProperty("triggerKind").GetString(),
            job.GetProperty("trigger").GetProperty("cron").GetString(), job.GetProperty("trigger").GetProperty("timeZone").GetString()));
        Assert.Equal(("30m", 2, "forbid", "skip", true), (job.GetProperty("timeout").GetString(), job.GetProperty("retries").GetInt32(),
            job.GetProperty("concurrency").GetString(), job.GetProperty("misfire").GetString(), job.GetProperty("enabled").GetBoolean()));

        // What GET gave, edited, goes back with PUT; "***" keeps the stored secret.
        var edited = job.GetRawText().Replace("\"retries\":2", "\"retries\":3");
        using (var put = new HttpRequestMessage(HttpMethod.Put, "/api/jobs/nightly") { Content = Json(edited) })
        {
            put.Headers.TryAddWithoutValidation("If-Match", etag);
            var response = await _app.Http.SendAsync(put);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(3, (await BodyAsync(response)).GetProperty("retries").GetInt32());
        }
        var stored = await _app.Services.GetRequiredService<IJobCatalog>().GetAsync("nightly", CancellationToken.None);
        Assert.Equal(("t0ps3cret", 3, JobOrigin.Api), (stored!.Secrets["TOKEN"], stored.Retries, stored.Origin));

        using (var stale = new HttpRequestMessage(HttpMethod.Put, "/api/jobs/nightly") { Content = Json(edited) })
        {
            stale.Headers.TryAddWithoutValidation("If-Match", etag);
            await AssertProblemAsync(await _app.Http.SendAsync(stale), HttpStatusCode.PreconditionFailed, "If-Match");
        }
    }

    [Theory]
    [InlineData("\"trigger\": { \"cron\": \"0 0 25 * * * *\" }", "trigger.cron")]
    [InlineData("\"trigger\": { \"cron\": \"@daily\", \"timeZone\": \"Mars/Olympus\" }", "trigger.timeZone")]
    [InlineData("\"trigger\": { \"prMerged\": { \"source\": \"(\" } }", "trigger.prMerged.source")]
    [InlineData("\"trigger\": \"manual\", \"nodeLabels\": \"a ||\"", "nodeLabels")]
    [InlineData("\"trigger\": \"manual\", \"repository\": \"just-a-name\"", "repository")]
    [InlineData("\"trigger\": \"manual\", \"retries\": 11", "retries")]
    [InlineData("\"trigger\": \"manual\", \"steps\": []", "steps")]
    [InlineData("\"trigger\": \"manual\", \"colour\": \"blue\"", "colour")]
    public async Task InvalidDefinitionsAre400NamingTheField(string fields, string field)
    {
        var json = "{ \"name\": \"bad\", \"repository\": \"acme/app\", \"steps\": [\"true\"], " + fields + " }";
        // A key given twice: the last wins (as in System.Text.Json), so a case's own repository or steps replace the defaults.
        await AssertProblemAsync(await _app.Http.PostAsync("/api/jobs", Json(json)), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task NextGivesTheCronTimesInTheJobsTimeZone()
    {
        await using var app = await TestApp.StartAsync(azurite, Yaml, time: _time);
        Assert.Equal(HttpStatusCode.Created, (await app.Http.PostAsync("/api/jobs", Json(Nightly))).StatusCode);

        var next = await app.GetJsonAsync<JobNextAnswer>("/api/jobs/nightly/next?count=5");

        Assert.Equal("Europe/Berlin", next.TimeZone);
        DateTimeOffset Utc(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);
        // 02:00 CET is 01:00Z; on the 29th 02:00 does not exist and the run is at 03:00 CEST (01:00Z); then 02:00 CEST = 00:00Z.
        Assert.Equal([Utc(3, 28, 1), Utc(3, 29, 1), Utc(3, 30, 0), Utc(3, 31, 0), Utc(4, 1, 0)], next.Runs.Select(r => r.ToUniversalTime()));
        await AssertProblemAsync(await app.Http.GetAsync("/api/jobs/nightly/next?count=101"), HttpStatusCode.BadRequest, "count");
        await AssertProblemAsync(await app.Http.GetAsync("/api/jobs/from-file/next"), HttpStatusCode.BadRequest, "trigger");
        await AssertProblemAsync(await app.Http.GetAsync("/api/jobs/nope/next"), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task DeleteIsSoftAndTheNameCanBeCreatedAgain()
    {
        Assert.Equal(HttpStatusCode.Created, (await _app.Http.PostAsync("/api/jobs", Json(Nightly))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _app.Http.DeleteAsync("/api/jobs/nightly")).StatusCode);

        await AssertProblemAsync(await _app.Http.GetAsync("/api/jobs/nightly"), HttpStatusCode.NotFound, null);
        await AssertProblemAsync(await _app.Http.DeleteAsync("/api/jobs/nightly"), HttpStatusCode.NotFound, null);
        Assert.DoesNotContain((await _app.GetJsonAsync<JsonElement>("/api/jobs")).EnumerateArray(), j => j.GetProperty("name").GetString() == "nightly");
        var row = await _app.Services.GetRequiredService<ReviewBot.Functions.Jobs.JobStore>().GetAsync("nightly", CancellationToken.None);
        Assert.True(row is { Deleted: true, DeletedAt: not null, Definition: not null });
        Assert.Equal(HttpStatusCode.Created, (await _app.Http.PostAsync("/api/jobs", Json(Nightly))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.Http.GetAsync("/api/jobs/nightly")).StatusCode);
    }

    [Fact]
    public async Task AnApiJobOverridesTheFilesJobAndSurvivesARestart()
    {
        var put = await _app.Http.PutAsync("/api/jobs/from-file", Json("""
            { "trigger": "manual", "repository": "acme/app", "cloneUrl": "https://example.invalid/acme/app.git", "steps": ["echo from the API"] }
            """));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await _app.DisposeAsync();

        _app = await TestApp.StartAsync(azurite, Yaml, prefix: _app.Prefix);

        var job = await _app.GetJsonAsync<JsonElement>("/api/jobs/from-file");
        Assert.Equal(("api", "echo from the API"), (job.GetProperty("origin").GetString(), job.GetProperty("steps")[0].GetProperty("run").GetString()));

        // Deleting the API job hides the file's job of that name too, until it is created again.
        Assert.Equal(HttpStatusCode.NoContent, (await _app.Http.DeleteAsync("/api/jobs/from-file")).StatusCode);
        await AssertProblemAsync(await _app.Http.GetAsync("/api/jobs/from-file"), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task RunNowQueuesATaskOncePerIdempotencyKeyAndCountsIt()
    {
        var id = await RunAsync("from-file", key: "click-1");
        Assert.Equal(id, await RunAsync("from-file", key: "click-1"));
        var other = await RunAsync("from-file");
        Assert.NotEqual(id, other);

        var task = await _app.Tasks.GetAsync(id, CancellationToken.None);
        Assert.Equal((TaskState.Queued, "from-file", "run via API"), (task!.State, task.JobName, task.Trigger));
        var history = await _app.GetJsonAsync<JsonElement>("/api/jobs/from-file/tasks");
        Assert.Equal([other, id], history.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var job = await _app.GetJsonAsync<JsonElement>("/api/jobs/from-file");
        Assert.Equal(2, job.GetProperty("executionCount").GetInt64());
        Assert.Equal((other, "queued"), (job.GetProperty("lastRun").GetProperty("taskId").GetString(), job.GetProperty("lastRun").GetProperty("state").GetString()));
        await AssertProblemAsync(await _app.Http.PostAsync("/api/jobs/nope/run", null), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task ADisabledJobDoesNotRunUntilEnabled()
    {
        var disabled = await _app.Http.PostAsync("/api/jobs/from-file/disable", null);
        Assert.False((await BodyAsync(disabled)).GetProperty("enabled").GetBoolean());
        Assert.False((await _app.GetJsonAsync<JsonElement>("/api/jobs"))[0].GetProperty("enabled").GetBoolean());
        await AssertProblemAsync(await _app.Http.PostAsync("/api/jobs/from-file/run", null), HttpStatusCode.Conflict, null);

        var enabled = await _app.Http.PostAsync("/api/jobs/from-file/enable", null);
        Assert.True((await BodyAsync(enabled)).GetProperty("enabled").GetBoolean());
        await RunAsync("from-file");
    }

    [Fact]
    public async Task AbortCancelsAQueuedRunAndRerunQueuesANewOne()
    {
        var id = await RunAsync("from-file");

        Assert.Equal(HttpStatusCode.Accepted, (await _app.Http.PostAsync($"/api/tasks/{id}/abort", null)).StatusCode);
        var cancelled = await _app.Tasks.GetAsync(id, CancellationToken.None);
        Assert.Equal((TaskState.Cancelled, "aborted via API"), (cancelled!.State, cancelled.Error));
        await AssertProblemAsync(await _app.Http.PostAsync($"/api/tasks/{id}/abort", null), HttpStatusCode.Conflict, null);
        await AssertProblemAsync(await _app.Http.PostAsync("/api/tasks/nope/abort", null), HttpStatusCode.NotFound, null);

        var rerun = await _app.Http.PostAsync($"/api/tasks/{id}/rerun", null);
        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        var newId = (await BodyAsync(rerun)).GetProperty("taskId").GetString()!;
        Assert.NotEqual(id, newId);
        var again = await _app.Tasks.GetAsync(newId, CancellationToken.None);
        Assert.Equal((TaskState.Queued, "from-file", "echo from the file"), (again!.State, again.JobName, again.Job?.Steps[0].Run));
        Assert.Contains((await _app.GetJsonAsync<JsonElement>("/api/jobs/from-file/tasks")).EnumerateArray(), t => t.GetProperty("id").GetString() == newId);
    }
}
