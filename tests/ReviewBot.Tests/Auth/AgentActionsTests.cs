using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Auth;

/// <summary>POST /api/agents/{nodeId}/drain|pause|resume on an agent connected through the real hub.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentActionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;
    private ContractClient _agent = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite, "linters: {}\n");
        _agent = await ContractClient.ConnectAsync(_app, "node-actions", "linux");
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _app.DisposeAsync();
    }

    private async Task<JsonElement> Post(string action, object? body = null)
    {
        var response = body is null ? await _app.Http.PostAsync($"/api/agents/node-actions/{action}", null)
            : await _app.Http.PostAsJsonAsync($"/api/agents/node-actions/{action}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task Heartbeat() =>
        _agent.Hub.InvokeAsync(nameof(IAgentHub.Heartbeat), new AgentHeartbeat("node-actions", [], Draining: false)).WaitAsync(Timeouts.Short);

    [Fact]
    public async Task Drain_LastsAcrossTheAgentsHeartbeats_UntilResumed()
    {
        Assert.Equal("draining", (await Post("drain")).GetProperty("state").GetString());
        await Heartbeat();
        Assert.Equal("draining", (await _app.GetJsonAsync<JsonElement>("/api/agents/node-actions")).GetProperty("state").GetString());

        Assert.Equal("online", (await Post("resume")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task PauseFor_IsPausedUntilThen()
    {
        var before = DateTimeOffset.UtcNow;
        var view = await Post("pause", new { @for = "01:00:00" });
        Assert.Equal("paused", view.GetProperty("state").GetString());
        var until = view.GetProperty("pausedUntil").GetDateTimeOffset();
        Assert.InRange(until, before.AddMinutes(59), before.AddMinutes(61));
    }

    [Fact]
    public async Task PauseUntil_InThePast_Is400NamingTheField()
    {
        var response = await _app.Http.PostAsJsonAsync("/api/agents/node-actions/pause", new { until = "2020-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("until", problem.GetProperty("field").GetString());

        var neither = await _app.Http.PostAsJsonAsync("/api/agents/node-actions/pause", new { });
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
    }

    [Fact]
    public async Task UnknownAgent_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Http.PostAsync("/api/agents/nobody/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Http.PostAsJsonAsync("/api/agents/nobody/pause", new { @for = "00:10:00" })).StatusCode);
    }
}
