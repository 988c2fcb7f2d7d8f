using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using ReviewBot.Functions.Hosting.Functions;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Hosting;

/// <summary>
/// The generated function.json set against the app's real endpoint table and timer registrations: every endpoint is a
/// function or left out for a stated reason, every timer is a timerTrigger, and every function.json has the fields the
/// Functions host reads. Endpoints and timers that other features add are covered without touching this test.
/// </summary>
public sealed class FunctionsManifestTests : IAsyncLifetime
{
    private static readonly Regex FunctionName = new("^[A-Za-z][A-Za-z0-9_-]{0,127}$");
    private WebApplication _app = null!;

    public Task InitializeAsync()
    {
        _app = ReviewBot.Functions.Program.Build([]);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private List<RouteEndpoint> Endpoints => [.. ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()];

    [Fact]
    public void EveryEndpoint_IsAFunctionOrSkippedForAReason()
    {
        var (functions, skipped) = FunctionsManifest.Build(_app);
        var http = functions.Where(f => Trigger(f)["type"]!.GetValue<string>() == "httpTrigger").ToList();

        foreach (var e in Endpoints)
        {
            var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Select(m => m.ToLowerInvariant()).Order().ToList() ?? [];
            var route = FunctionsManifest.Route(e.RoutePattern);
            var covered = route is not null && http.Any(f => Trigger(f)["route"]!.GetValue<string>() == route
                && (Trigger(f)["methods"]?.AsArray().Select(m => m!.GetValue<string>()).Order().ToList() ?? []).SequenceEqual(methods));
            var left = skipped.Any(s => s.Display.EndsWith(" " + e.RoutePattern.RawText, StringComparison.Ordinal));
            Assert.True(covered ^ left, $"{string.Join(",", methods)} {e.RoutePattern.RawText}: covered={covered}, skipped={left}");
        }
        Assert.Equal(http.Count, Endpoints.Count - skipped.Count);
        Assert.All(skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
    }

    [Fact]
    public void KnownEndpoints_HaveStableNames()
    {
        var names = FunctionsManifest.Build(_app).Functions.Select(f => f.Name).ToList();
        Assert.Contains("post_api_github_webhook", names);
        Assert.Contains("get_api_tasks_id", names);
        Assert.Contains("get_api_tasks_id_log", names);
        Assert.Contains("get_api_health", names);
    }

    [Fact]
    public void HubEndpoints_AreLeftOut()
    {
        var manifest = FunctionsManifest.Build(_app);
        Assert.Contains(manifest.Skipped, s => s.Display.Contains(ReviewBot.Contracts.Agents.AgentProtocol.HubPath) && s.Reason.Contains("SignalR"));
        Assert.DoesNotContain(manifest.Functions, f => f.Name.EndsWith("_hub", StringComparison.Ordinal) || f.Name.Contains("_hub_", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryRegisteredTimer_IsATimerTriggerWithItsSchedule()
    {
        var timers = _app.Services.GetServices<TimerFunction>().ToList();
        var functions = FunctionsManifest.Build(_app).Functions;
        Assert.Contains(timers, t => t.Name == "presence-sweep");
        foreach (var t in timers)
        {
            var f = Assert.Single(functions, f => f.Name == t.Name);
            Assert.Equal("timerTrigger", Trigger(f)["type"]!.GetValue<string>());
            Assert.Equal(t.Schedule, Trigger(f)["schedule"]!.GetValue<string>());
            Assert.Equal(CustomHandler.TimerBinding, Trigger(f)["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public void EveryFunctionJson_HasTheFieldsTheHostReads()
    {
        var functions = FunctionsManifest.Build(_app).Functions;
        Assert.Equal(functions.Count, functions.Select(f => f.Name.ToLowerInvariant()).Distinct().Count());
        foreach (var f in functions)
        {
            Assert.Matches(FunctionName, f.Name);
            var parsed = JsonNode.Parse(f.Text)!.AsObject();
            var bindings = parsed["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
            Assert.All(bindings, b =>
            {
                Assert.False(string.IsNullOrEmpty(b["type"]?.GetValue<string>()), f.Name);
                Assert.Contains(b["direction"]!.GetValue<string>(), new[] { "in", "out" });
                Assert.False(string.IsNullOrEmpty(b["name"]?.GetValue<string>()), f.Name);
            });
            var trigger = Assert.Single(bindings, b => b["type"]!.GetValue<string>().EndsWith("Trigger"));
            if (trigger["type"]!.GetValue<string>() == "httpTrigger")
            {
                // Forwarding applies only to exactly one httpTrigger in and one http out (FunctionMetadataExtensions.IsHttpInAndOutFunction).
                Assert.Equal(2, bindings.Count);
                Assert.Single(bindings, b => b["type"]!.GetValue<string>() == "http" && b["direction"]!.GetValue<string>() == "out");
                Assert.Equal("anonymous", trigger["authLevel"]!.GetValue<string>());
                var route = trigger["route"]!.GetValue<string>();
                Assert.False(route.StartsWith('/') || route.StartsWith("api/", StringComparison.OrdinalIgnoreCase), $"{f.Name}: route {route} must not carry the prefix");
                Assert.False(route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase), "reserved route");
                Assert.All(trigger["methods"]!.AsArray(), m => Assert.Contains(m!.GetValue<string>(), new[] { "get", "post", "put", "delete", "patch", "head", "options" }));
            }
            else
            {
                Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
                Assert.Equal(6, trigger["schedule"]!.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
                Assert.Single(bindings);
            }
        }
    }

    [Fact]
    public void EndpointOutsideApi_FailsTheGenerator_UnlessExcluded()
    {
        var app = ReviewBot.Functions.Program.Build([], b => { });
        app.MapGet("/dashboard", () => "hi");
        var error = Assert.Throws<InvalidOperationException>(() => FunctionsManifest.Build(app));
        Assert.Contains("/dashboard", error.Message);

        var excluded = ReviewBot.Functions.Program.Build([]);
        excluded.MapGet("/dashboard", () => "hi").ExcludeFromFunctions("served by a static web app");
        Assert.Contains(FunctionsManifest.Build(excluded).Skipped, s => s.Reason == "served by a static web app");
    }

    [Theory]
    [InlineData("get", "tasks/{id}", "get_api_tasks_id")]
    [InlineData("post", "github/webhook", "post_api_github_webhook")]
    [InlineData("get", "files/{*path}", "get_api_files_path")]
    [InlineData("get", "jobs/{name:minlength(1)}/runs", "get_api_jobs_name_runs")]
    [InlineData("delete", "api-keys/{id}", "delete_api_api_keys_id")]
    public void Names_ComeFromMethodAndRoute(string method, string route, string expected) =>
        Assert.Equal(expected, FunctionsManifest.NameFor([method], route));

    [Fact]
    public void HostJson_AtTheRoot_DescribesTheCustomHandler()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("ReviewBot.Functions", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal(FunctionsManifest.RoutePrefix, host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("bad name", "0 * * * * *")]
    [InlineData("1st", "0 * * * * *")]
    [InlineData("ok", "* * * * *")]
    public void TimerRegistration_RefusesBadNamesAndFiveFieldSchedules(string name, string schedule) =>
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddTimerFunction(name, schedule, (_, _) => Task.CompletedTask));

    [Fact]
    public void TimerRegistration_RefusesTheSameNameTwice()
    {
        var services = new ServiceCollection().AddTimerFunction("tick", "0 * * * * *", (_, _) => Task.CompletedTask);
        Assert.Throws<ArgumentException>(() => services.AddTimerFunction("TICK", "0 * * * * *", (_, _) => Task.CompletedTask));
    }

    private static JsonObject Trigger(FunctionDefinition f) =>
        f.Json["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => b["direction"]!.GetValue<string>() == "in");
}
