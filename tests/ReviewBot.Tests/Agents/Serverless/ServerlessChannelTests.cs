using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents.Serverless;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeSignalRService;

namespace ReviewBot.Tests.Agents.Serverless;

/// <summary>The agents' channel through Azure SignalR Service (a local stand-in speaking its protocol): the same
/// real agent process, unchanged, registers, is routed a task, streams its log and reports.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServerlessChannelTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FakeSignalRService _service = null!;
    private TestApp _app = null!;
    private GitRepo _repo = null!;

    public async Task InitializeAsync()
    {
        _service = await FakeSignalRService.StartAsync();
        _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, new Dictionary<string, string?>
        {
            ["ReviewBot:SignalR:ConnectionString"] = _service.ConnectionString,
        });
        _service.UpstreamTemplate = _app.Url.TrimEnd('/') + "/api/signalr/{hub}/{category}/{event}";
        _repo = GitRepo.Create(new Dictionary<string, string> { ["run.sh"] = "#!/bin/sh\necho hi\n" },
            new Dictionary<string, string?> { ["run.sh"] = "#!/bin/sh\necho hi\nrm -rf $1/out\n" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _service.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task RealAgent_ThroughTheService_Registers_RunsATask_StreamsItsLog_AndReports()
    {
        await using var agent = AgentProcess.Start(_app.Url, "linux-box", ["linux"]);
        await _app.WaitForOnlineAsync(agent, Timeouts.Long);
        Assert.Equal(1, _service.Connected);

        var response = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!).ToList();
        var shellcheck = ids.Single(id => _app.Tasks.GetAsync(id, default).Result!.Linter.Name == "shellcheck");
        var done = await _app.WaitForTaskAsync(shellcheck, t => t.State.IsTerminal(), Timeouts.Long, "the task to end");

        Assert.Equal((TaskState.Failed, "linux-box", 1), (done.State, done.NodeName, done.FindingCount));
        Assert.Equal("agent", _app.Agents.All.Single(n => n.Name == "linux-box").Binding); // it registered for its own credential first
        var log = await _app.Http.GetStringAsync($"/api/tasks/{shellcheck}/log");
        Assert.Contains("SC2086", log);
        Assert.Contains("rest POST connections AssignTask", _service.Log);
        Assert.Contains("upstream messages/Register 200", _service.Log);
        Assert.Contains("upstream messages/AppendLog 200", _service.Log);
        Assert.Contains("upstream messages/CompleteTask 200", _service.Log);
    }

    [Fact]
    public async Task OutOfOrderLogChunk_ThroughTheService_IsAnErrorCompletionNamingTheChunk()
    {
        await using var agent = await ContractClient.ConnectAsync(_app, "hand-box", "linux");
        Assert.Equal(HttpStatusCode.Accepted, (await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo))).StatusCode);
        var assignment = await agent.NextAssignmentAsync();
        Assert.True((await agent.AcceptAsync(assignment)).Accepted);
        Task Send(long sequence) => agent.Hub.InvokeAsync(nameof(IAgentHub.AppendLog),
            new LogChunk(agent.NodeId, assignment.TaskId, assignment.LeaseToken, sequence, $"chunk {sequence}\n")).WaitAsync(Timeouts.Short);
        await Send(0);

        var refused = await Assert.ThrowsAsync<HubException>(() => Send(5));

        Assert.Contains("chunk 5", refused.Message);
        Assert.Contains("out of order", refused.Message);
        Assert.Contains("upstream messages/AppendLog 200", _service.Log);
        Assert.DoesNotContain("upstream messages/AppendLog 500", _service.Log);
        Assert.Equal("chunk 0\n", await _app.Http.GetStringAsync($"/api/tasks/{assignment.TaskId}/log"));
    }

    [Fact]
    public async Task AgentThatLeaves_IsDisconnectedThroughTheUpstreamEvent()
    {
        var agent = AgentProcess.Start(_app.Url, "leaving-box", ["linux"]);
        await _app.WaitForOnlineAsync(agent, Timeouts.Long);
        var node = _app.Agents.All.Single(n => n.Name == "leaving-box");

        await agent.DisposeAsync();

        // In serverless mode the app has no socket of its own: only the service's upstream event can tell it.
        await _app.WaitForAgentsAsync(r => r.Get(node.NodeId)?.ConnectionId is null, Timeouts.Long, "the disconnected event to reach the app");
    }

    [Fact]
    public async Task UpstreamCallWithABadSignature_IsRefused_AndChangesNothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/signalr/agents/messages/Register")
        {
            Content = new StringContent("""{"type":1,"invocationId":"1","target":"Register","arguments":[{}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-ASRS-Connection-Id", "conn-1");
        request.Headers.Add("X-ASRS-Signature", UpstreamSignature.For("some-other-key-that-is-long-enough-000000", "conn-1"));

        var response = await _app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_app.Agents.All);
    }

    private async Task<HttpResponseMessage> UpstreamRegisterAsync(string? userId, string nodeId)
    {
        var registration = JsonSerializer.Serialize(ContractClient.Registration(nodeId), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/signalr/agents/messages/Register")
        {
            Content = new StringContent($$"""{"type":1,"invocationId":"1","target":"Register","arguments":[{{registration}}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-ASRS-Connection-Id", "conn-1");
        request.Headers.Add("X-ASRS-Signature", UpstreamSignature.For(FakeSignalRService.AccessKey, "conn-1"));
        if (userId is not null) request.Headers.Add("X-ASRS-User-Id", userId);
        return await _app.Http.SendAsync(request);
    }

    [Fact]
    public async Task UpstreamRegister_NamingAnotherNodeThanTheConnectionsCredential_IsRefused()
    {
        var response = await UpstreamRegisterAsync("agent:node-x", "node-y");

        var completion = JsonDocument.Parse((await response.Content.ReadAsStringAsync()).TrimEnd('\u001e')).RootElement;
        Assert.False(completion.GetProperty("result").GetProperty("accepted").GetBoolean());
        Assert.Contains("node-x", completion.GetProperty("result").GetProperty("reason").GetString());
        Assert.Empty(_app.Agents.All);
    }

    [Fact]
    public async Task UpstreamCall_WithoutAUserIdNegotiateGaveOut_IsRefused()
    {
        var response = await UpstreamRegisterAsync(null, "node-y");

        var completion = JsonDocument.Parse((await response.Content.ReadAsStringAsync()).TrimEnd('\u001e')).RootElement;
        Assert.Contains("credential", completion.GetProperty("error").GetString());
        Assert.Empty(_app.Agents.All);
    }

    [Fact]
    public async Task Negotiate_WithAnAgentCredential_PutsItsNodeIdInTheClientTokensUserId()
    {
        using var exchange = new HttpRequestMessage(HttpMethod.Post, "/api/agent-credentials") { Content = JsonContent.Create(new { nodeId = "node-n", name = "n" }) };
        exchange.Headers.Authorization = new("Bearer", TestApp.AgentToken);
        var credential = JsonDocument.Parse(await (await _app.Anonymous().SendAsync(exchange)).Content.ReadAsStringAsync()).RootElement.GetProperty("credential").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/agents/hub/negotiate?negotiateVersion=1");
        request.Headers.Authorization = new("Bearer", credential);

        var body = JsonDocument.Parse(await (await _app.Anonymous().SendAsync(request)).Content.ReadAsStringAsync()).RootElement;

        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(body.GetProperty("accessToken").GetString());
        Assert.Equal("agent:node-n", token.GetClaim("asrs.s.uid").Value);
    }

    [Fact]
    public async Task Revoke_ClosesTheAgentsConnectionThroughTheServicesRestApi_AndTheAgentStops()
    {
        await using var agent = AgentProcess.Start(_app.Url, "revoked-box", ["linux"]);
        await _app.WaitForOnlineAsync(agent, Timeouts.Long);
        var nodeId = _app.Agents.All.Single(n => n.Name == "revoked-box").NodeId;

        var revoke = await _app.Http.PostAsync($"/api/agents/{nodeId}/revoke", null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Contains("rest DELETE connection", _service.Log);
        await agent.WaitForExitAsync(Timeouts.Long);
        Assert.True(agent.ExitCode == 2, agent.Output);
        Assert.Contains("revoked", agent.Output);
    }

    [Fact]
    public async Task NegotiateWithoutTheAgentToken_IsRefused()
    {
        var response = await _app.Http.PostAsync("/api/negotiate", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Negotiate_RedirectsToTheServiceWithAClientToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/agents/hub/negotiate?negotiateVersion=1");
        request.Headers.Authorization = new("Bearer", TestApp.AgentToken);
        var body = JsonDocument.Parse(await (await _app.Http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;

        Assert.EndsWith("/client/?hub=agents", body.GetProperty("url").GetString());
        Assert.Equal(3, body.GetProperty("accessToken").GetString()!.Split('.').Length);
    }
}
