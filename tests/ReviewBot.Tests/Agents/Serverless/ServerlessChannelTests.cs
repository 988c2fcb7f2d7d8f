using System.Net;
using System.Text;
using System.Text.Json;
using ReviewBot.Functions.Agents.Serverless;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Infrastructure.FakeSignalRService;

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
        var log = await _app.Http.GetStringAsync($"/api/tasks/{shellcheck}/log");
        Assert.Contains("SC2086", log);
        Assert.Contains("rest POST connections AssignTask", _service.Log);
        Assert.Contains("upstream messages/Register 200", _service.Log);
        Assert.Contains("upstream messages/AppendLog 200", _service.Log);
        Assert.Contains("upstream messages/CompleteTask 200", _service.Log);
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
