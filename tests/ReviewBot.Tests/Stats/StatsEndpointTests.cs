using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Stats;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Stats;

/// <summary><c>GET /api/stats/hourly</c> on the real app (Azurite, a fake clock at the end of the simulated day).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StatsEndpointTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = SimulatedDay.Day;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, time: new FakeTimeProvider(Day.AddDays(1).AddMinutes(-20)));
        var store = _app.Services.GetRequiredService<RollupStore>();
        using var cts = new CancellationTokenSource(Timeouts.Long);
        foreach (var t in SimulatedDay.Endings()) await store.RecordAsync(t, 2, cts.Token);
        // A tenth repository the day before: outside the default range.
        await store.UpdateAsync(Day.AddHours(-3), r => r.AddEnding(SimulatedDay.Endings().First() with { Repository = "octo/yesterday" }), cts.Token);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ByDefault_ServesEveryHourOfTheLast24_WithCountsPercentilesUtilisationAndFindings()
    {
        var json = await _app.GetJsonAsync<JsonElement>("/api/stats/hourly");

        Assert.Equal(Day, json.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(Day.AddDays(1), json.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(24, json.GetProperty("hours").GetArrayLength());
        int[] Ints(JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetInt32())];
        var tasks = json.GetProperty("tasks");
        Assert.Equal(Enumerable.Range(0, 24).Select(h => h % 2 + 1), Ints(tasks.GetProperty("failed")));
        Assert.Equal(Enumerable.Range(0, 24).Select(h => 1 - h % 2), Ints(tasks.GetProperty("cancelled")));
        Assert.Equal(new int[24], Ints(tasks.GetProperty("timedout")));
        Assert.Equal(45, json.GetProperty("queue").GetProperty("p50")[2].GetDouble());
        Assert.Equal(217.5, json.GetProperty("queue").GetProperty("p95")[2].GetDouble());
        Assert.Equal(100, json.GetProperty("run").GetProperty("p95")[7].GetDouble());
        var agentA = json.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("agent").GetString() == "agent-a");
        // Hour 2 ran three tasks of 100 s on agent-a (indexes 0, 2, 4), capacity 2: 300 / 7200.
        Assert.Equal(Math.Round(300 / 7200.0, 4), agentA.GetProperty("utilisation")[2].GetDouble());
        var repos = json.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("repository").GetString()).ToList();
        var expected = SimulatedDay.Endings().GroupBy(t => t.Repository).OrderByDescending(g => g.Sum(t => t.FindingCount)).Select(g => g.Key);
        Assert.Equal(expected, repos);
    }

    [Fact]
    public async Task ASubsetOfSeries_IsAllThatIsSent()
    {
        var json = await _app.GetJsonAsync<JsonElement>($"/api/stats/hourly?from={Uri.EscapeDataString(Day.AddHours(-4).ToString("O"))}&to={Uri.EscapeDataString(Day.AddHours(2).ToString("O"))}&series=findings,tasks");

        Assert.Equal(6, json.GetProperty("hours").GetArrayLength());
        Assert.False(json.TryGetProperty("queue", out var q) && q.ValueKind != JsonValueKind.Null);
        Assert.False(json.TryGetProperty("agents", out var a) && a.ValueKind != JsonValueKind.Null);
        Assert.Contains(json.GetProperty("findings").EnumerateArray(), f => f.GetProperty("repository").GetString() == "octo/yesterday");
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01T00:00:00Z", "to")]
    [InlineData("from=2026-11-30T05:00:00Z&to=2026-11-30T04:00:00Z", "from")]
    [InlineData("from=2026-10-01T00:00:00Z&to=2026-11-30T00:00:00Z", "to")]
    [InlineData("series=tasks,latency", "series")]
    [InlineData("series=,", "series")]
    public async Task BadQuery_Is400_NamingTheField(string query, string field)
    {
        using var response = await _app.Http.GetAsync($"/api/stats/hourly?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }
}
