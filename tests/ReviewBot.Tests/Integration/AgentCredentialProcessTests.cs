using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Integration;

/// <summary>
/// Per-agent credentials with the real agent process: <c>reviewbot-agent register</c> stores a credential readable by
/// its user only and the agent then connects without a token; the first start with a bootstrap token does the same by
/// itself; an admin's revocation closes the agent's connection, requeues its task and stops the agent.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentCredentialProcessTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly GitRepo _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    private TestApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await TestApp.StartAsync(azurite, Configs.Single("slow", "\".sh\"", "[\"sh\", \"-c\", \"echo started; sleep 60\", \"slow\"]", nodeLabels: "linux"));

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private AgentProcess Start(string name, string? token = null, string? workDir = null)
    {
        var agent = AgentProcess.Start(_app.Url, name, ["linux"], token: token, workDir: workDir);
        _owned.Add(agent);
        return agent;
    }

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("Unix file modes") : File.GetUnixFileMode(path);

    private static string CredentialIn(string workDir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(workDir, "agent-credential"))).RootElement.GetProperty("credential").GetString()!;

    private async Task<JsonElement> AgentAsync(string name) =>
        (await _app.GetJsonAsync<JsonElement>("/api/agents")).EnumerateArray().Single(a => a.GetProperty("name").GetString() == name);

    [Fact]
    public async Task RegisterCommand_WritesACredentialOnlyItsUserCanRead_AndTheAgentThenConnectsWithoutAToken()
    {
        var workDir = Directory.CreateTempSubdirectory("reviewbot-agent-registered-").FullName;

        var (exitCode, output) = await AgentProcess.RegisterAsync(_app.Url, TestApp.AgentToken, workDir, "registered-box");

        Assert.True(exitCode == 0, output);
        var file = Path.Combine(workDir, "agent-credential");
        Assert.Equal(OwnerOnly, ModeOf(file));
        var credential = CredentialIn(workDir);
        var nodeId = File.ReadAllText(Path.Combine(workDir, "node-id")).Trim();
        Assert.StartsWith(nodeId + ":", credential);
        Assert.DoesNotContain(credential[(nodeId.Length + 1)..], output);
        Assert.DoesNotContain(TestApp.AgentToken, output);

        var agent = Start("registered-box", token: AgentProcess.NoToken, workDir: workDir);
        await _app.WaitForOnlineAsync(agent, Timeouts.Long);

        Assert.Equal("agent", (await AgentAsync("registered-box")).GetProperty("credential").GetString());
        Assert.Equal(nodeId, _app.Agents.All.Single(n => n.Name == "registered-box").NodeId);
        Assert.Equal(credential, CredentialIn(workDir)); // used as it is, not replaced
        Assert.DoesNotContain(credential[(nodeId.Length + 1)..], agent.Output);
    }

    [Fact]
    public async Task FirstStartWithABootstrapToken_RegistersByItself_AndAReconnectingAgentUsesTheStoredCredential()
    {
        var workDir = Directory.CreateTempSubdirectory("reviewbot-agent-bootstrap-").FullName;
        var first = AgentProcess.Start(_app.Url, "bootstrap-box", ["linux"], workDir: workDir);
        _owned.Add(first);
        await _app.WaitForOnlineAsync(first, Timeouts.Long);
        var credential = CredentialIn(workDir);
        Assert.Equal(OwnerOnly, ModeOf(Path.Combine(workDir, "agent-credential")));
        Assert.Equal("agent", (await AgentAsync("bootstrap-box")).GetProperty("credential").GetString());
        first.Kill();
        await first.WaitForExitAsync(Timeouts.Short);
        await _app.WaitForAgentsAsync(r => r.All.All(n => n.ConnectionId is null), Timeouts.Short, "the killed agent's connection to drop");

        var second = Start("bootstrap-box", token: AgentProcess.NoToken, workDir: workDir);
        await _app.WaitForOnlineAsync(second, Timeouts.Long);

        Assert.Equal(credential, CredentialIn(workDir));
        Assert.Equal("agent", (await AgentAsync("bootstrap-box")).GetProperty("credential").GetString());
        Assert.DoesNotContain(TestApp.AgentToken, first.Output + second.Output);
        Assert.DoesNotContain(credential.Split(':')[1], first.Output + second.Output);
    }

    [Fact]
    public async Task Revoke_ClosesTheRealAgentsConnection_RequeuesItsTask_AndTheAgentStopsWithTheReason()
    {
        var agent = Start("revoked-box");
        await _app.WaitForOnlineAsync(agent, Timeouts.Long);
        var nodeId = _app.Agents.All.Single(n => n.Name == "revoked-box").NodeId;
        var delivery = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var taskId = JsonDocument.Parse(await delivery.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
        await _app.WaitForTaskAsync(taskId, t => t.State == TaskState.Running, Timeouts.Long, "the task to run on the agent");

        var revoke = await _app.Http.PostAsync($"/api/agents/{nodeId}/revoke", null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var requeued = await _app.WaitForTaskAsync(taskId, t => t.State == TaskState.Queued, Timeouts.Short, "the revoked agent's task to be requeued");
        Assert.Equal(2, requeued.Attempt);
        await agent.WaitForExitAsync(Timeouts.Long);
        Assert.True(agent.ExitCode == 2, agent.Output);
        Assert.Contains("revoked", agent.Output);
        var shown = await AgentAsync("revoked-box");
        Assert.Equal(("offline", "revoked"), (shown.GetProperty("state").GetString(), shown.GetProperty("credential").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Anonymous().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/agent-credentials")
        {
            Headers = { Authorization = new("Bearer", TestApp.AgentToken) },
            Content = JsonContent.Create(new { nodeId, name = "revoked-box" }),
        })).StatusCode);
    }
}
