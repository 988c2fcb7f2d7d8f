using System.Net;
using System.Text;
using System.Text.Json;
using ReviewBot.Core;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Jobs;

/// <summary>Security review D2/D8 for jobs: a definition travels in its own row and in every task it starts, so its
/// sizes are capped; a definition over a cap is a 400 naming the field, never a 500 from storage.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobBoundsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, "");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static string Job(object steps, object? variables = null, string? cloneUrl = null, string @ref = "main") => JsonSerializer.Serialize(new
    {
        name = "big",
        repository = "acme/app",
        cloneUrl = cloneUrl ?? "https://example.invalid/acme/app.git",
        @ref,
        trigger = "manual",
        steps,
        variables = variables ?? new Dictionary<string, string>(),
    });

    private async Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(string json)
    {
        var response = await _app.Http.PostAsync("/api/jobs", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    public static TheoryData<string, string> Oversized => new()
    {
        { Job(Enumerable.Repeat("echo", 50_000)), "steps" },
        { Job(new[] { new string('x', FieldLimits.JobStepRun + 1) }), "steps[0].run" },
        { Job(new[] { new { name = new string('n', 5000), run = "make" } }), "steps[0].name" },
        { Job(Enumerable.Repeat(new string('y', 4000), 90)), "steps" }, // each step fits; together they do not
        { Job(new[] { "make" }, Enumerable.Range(0, 200).ToDictionary(i => $"V{i}", i => "1")), "variables" },
        { Job(new[] { "make" }, new Dictionary<string, string> { ["BIG"] = new('v', 5000) }), "variables.BIG" },
        { Job(new[] { "make" }, cloneUrl: "https://example.invalid/" + new string('c', 3000)), "cloneUrl" },
        { Job(new[] { "make" }, @ref: new string('r', 2000)), "ref" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public async Task OversizedDefinition_Is400NamingTheField(string json, string field)
    {
        var (status, body) = await CreateAsync(json);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {body}");
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Http.GetAsync("/api/jobs/big")).StatusCode);
    }

    [Fact]
    public async Task ADefinitionAtTheCaps_IsStoredAndRuns()
    {
        var (status, body) = await CreateAsync(Job(Enumerable.Range(0, FieldLimits.JobSteps).Select(i => $"echo {i}")));
        Assert.True(status == HttpStatusCode.Created, body.ToString());

        var run = await _app.Http.PostAsync("/api/jobs/big/run", null);

        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
    }
}
