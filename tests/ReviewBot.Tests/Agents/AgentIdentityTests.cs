using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Agents;

/// <summary>
/// An agent speaks only for its own node, on its own connection (security review D3, D10): another agent's token
/// cannot take over its node id and job secrets, a copied lease does not let another agent accept or complete its
/// task, a refused registration leaves nothing behind, one connection is one node, and leases are not logged.
/// Driven by real SignalR connections speaking the contract by hand (<see cref="ContractClient"/>).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentIdentityTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SecondToken = "second-agent-token-for-tests";
    private const string JobSecret = "s3cr3t-job-secret-value";

    private const string Yaml = """
        jobs:
          deploy:
            trigger: manual
            repository: acme/app
            cloneUrl: https://example.invalid/acme/app.git
            steps: ["sleep 60"]
            secrets: { DEPLOY_TOKEN: "${env:JOB_SECRET}" }
        """;

    private readonly LogCapture _logs = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(azurite, Yaml, new Dictionary<string, string?>
        {
            ["ReviewBot:Agents:Tokens:1"] = SecondToken,
            ["JOB_SECRET"] = JobSecret,
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        }, configure: b => b.Logging.AddProvider(_logs));
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        await _app.DisposeAsync();
    }

    private async Task<ContractClient> Own(Task<ContractClient> connecting)
    {
        var client = await connecting;
        _owned.Add(client);
        return client;
    }

    /// <summary>Runs the job and lets <paramref name="agent"/> take it: returns its assignment, the task running on it.</summary>
    private async Task<TaskAssignment> RunJobOnAsync(ContractClient agent, bool accept = true)
    {
        var run = await _app.Http.PostAsync("/api/jobs/deploy/run", null);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        var a = await agent.NextAssignmentAsync();
        Assert.Equal(JobSecret, a.Job!.Secrets["DEPLOY_TOKEN"]);
        if (accept) Assert.True((await agent.AcceptAsync(a)).Accepted);
        return a;
    }

    private static TaskResult Succeeded(string nodeId, TaskAssignment a) =>
        new(nodeId, a.TaskId, a.LeaseToken, TaskOutcome.Succeeded, 0, [], [], [], null, TimeSpan.FromSeconds(1));

    private static Task<TaskAck> AcceptAs(ContractClient via, string nodeId, TaskAssignment a, bool accepted = true) =>
        via.Hub.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), new TaskAcceptance(nodeId, a.TaskId, a.LeaseToken, accepted, accepted ? null : "full"))
            .WaitAsync(Timeouts.Short);

    [Fact]
    public async Task NodeIdTakeover_WithAnotherToken_IsRefused_AndTheJobSecretNeverReachesTheImpostor()
    {
        var owner = await Own(ContractClient.ConnectWithAsync(_app, TestApp.AgentToken, "agentA"));
        var job = await RunJobOnAsync(owner);
        var impostor = await Own(ContractClient.OpenAsync(_app, SecondToken, "agentA"));

        var taken = await impostor.RegisterAsync(ContractClient.Registration("agentA"));

        Assert.False(taken.Accepted);
        Assert.Contains("agentA", taken.Reason);
        var task = await _app.Tasks.GetAsync(job.TaskId, default);
        Assert.Equal((TaskState.Running, "agentA", 1, job.LeaseToken), (task!.State, task.NodeId, task.Attempt, task.LeaseToken));
        // The owner's connection still speaks for the node: its heartbeat is taken and its result is accepted.
        await owner.Hub.InvokeAsync(nameof(IAgentHub.Heartbeat), new AgentHeartbeat("agentA", [job.TaskId], false)).WaitAsync(Timeouts.Short);
        Assert.True((await owner.CompleteAsync(Succeeded("agentA", job))).Accepted);
        Assert.DoesNotContain(impostor.ReceivedAssignments(), a => a.Job?.Secrets.Values.Contains(JobSecret) == true);
    }

    [Fact]
    public async Task ResultForgery_WithACopiedLease_IsRefused_WhicheverNodeTheForgerNames()
    {
        var owner = await Own(ContractClient.ConnectWithAsync(_app, TestApp.AgentToken, "agentA"));
        var forger = await Own(ContractClient.ConnectWithAsync(_app, SecondToken, "nodeB-2"));
        var job = await RunJobOnAsync(owner);

        var asItself = await forger.CompleteAsync(Succeeded("nodeB-2", job));
        var asTheOwner = await forger.CompleteAsync(Succeeded("agentA", job));

        Assert.False(asItself.Accepted);
        Assert.False(asTheOwner.Accepted);
        var task = await _app.Tasks.GetAsync(job.TaskId, default);
        Assert.Equal((TaskState.Running, "agentA"), (task!.State, task.NodeId));
        Assert.True((await owner.CompleteAsync(Succeeded("agentA", job))).Accepted);
    }

    [Fact]
    public async Task AcceptanceForgery_WithACopiedLease_NeitherTakesNorBouncesTheTask()
    {
        var owner = await Own(ContractClient.ConnectWithAsync(_app, TestApp.AgentToken, "agentA"));
        var forger = await Own(ContractClient.ConnectWithAsync(_app, SecondToken, "nodeB-2"));
        var job = await RunJobOnAsync(owner, accept: false);

        var acceptedAsItself = await AcceptAs(forger, "nodeB-2", job);
        var acceptedAsTheOwner = await AcceptAs(forger, "agentA", job);
        var refusedAsTheOwner = await AcceptAs(forger, "agentA", job, accepted: false);
        var refusedAsItself = await AcceptAs(forger, "nodeB-2", job, accepted: false);

        Assert.False(acceptedAsItself.Accepted);
        Assert.False(acceptedAsTheOwner.Accepted);
        Assert.False(refusedAsTheOwner.Accepted);
        Assert.False(refusedAsItself.Accepted);
        var task = await _app.Tasks.GetAsync(job.TaskId, default);
        Assert.Equal((TaskState.Assigned, "agentA", job.LeaseToken), (task!.State, task.NodeId, task.LeaseToken));
        Assert.True((await owner.AcceptAsync(job)).Accepted);
    }

    [Fact]
    public async Task LogChunk_FromAnotherConnection_WithACopiedLease_IsNotStored()
    {
        var owner = await Own(ContractClient.ConnectWithAsync(_app, TestApp.AgentToken, "agentA"));
        var forger = await Own(ContractClient.ConnectWithAsync(_app, SecondToken, "nodeB-2"));
        var job = await RunJobOnAsync(owner);

        await Assert.ThrowsAsync<HubException>(() => forger.Hub.InvokeAsync(nameof(IAgentHub.AppendLog),
            new LogChunk("agentA", job.TaskId, job.LeaseToken, 0, "forged output\n")).WaitAsync(Timeouts.Short));
        await owner.Hub.InvokeAsync(nameof(IAgentHub.AppendLog), new LogChunk("agentA", job.TaskId, job.LeaseToken, 0, "real output\n")).WaitAsync(Timeouts.Short);

        Assert.Equal("real output\n", await _app.Http.GetStringAsync($"/api/tasks/{job.TaskId}/log"));
    }

    private static AgentRegistration Bad(string @case)
    {
        var r = ContractClient.Registration("phantom");
        return @case switch
        {
            "null running tasks" => r with { RunningTasks = null! },
            "duplicate running task" => r with { RunningTasks = [new("t-1", "l-1"), new("t-1", "l-2")] },
            "null running task" => r with { RunningTasks = [null!] },
            "40,000-character name" => r with { Name = new string('n', 40_000) },
            "5,000 labels" => r with { Labels = [.. Enumerable.Range(0, 5_000).Select(i => $"l{i}")] },
            "1,000-character label" => r with { Labels = [new string('l', 1_000)] },
            "null labels" => r with { Labels = null! },
            "capacity 2^31-1" => r with { Capacity = int.MaxValue },
            "node id with / # ? %" => ContractClient.Registration("phan/tom#?%"),
            "node id with an RTL override" => ContractClient.Registration("phan\u202etom"),
            _ => throw new ArgumentException(@case),
        };
    }

    [Theory]
    [InlineData("null running tasks", "runningTasks")]
    [InlineData("duplicate running task", "runningTasks")]
    [InlineData("null running task", "runningTasks")]
    [InlineData("40,000-character name", "name")]
    [InlineData("5,000 labels", "labels")]
    [InlineData("1,000-character label", "labels")]
    [InlineData("null labels", "labels")]
    [InlineData("capacity 2^31-1", "capacity")]
    [InlineData("node id with / # ? %", "nodeId")]
    [InlineData("node id with an RTL override", "nodeId")]
    public async Task RefusedRegistration_NamesTheField_AndLeavesNoPhantomNode(string @case, string field)
    {
        var registration = Bad(@case);
        var client = await Own(ContractClient.OpenAsync(_app, TestApp.AgentToken, registration.NodeId));

        RegistrationResult? result = null;
        try { result = await client.RegisterAsync(registration); }
        catch (HubException) { /* the old code failed with a hub error: still a refusal */ }

        Assert.False(result?.Accepted ?? false);
        if (result is not null) Assert.Contains(field, result.Reason);
        Assert.Null(_app.Agents.Get(registration.NodeId));
        Assert.Null(_app.Agents.NodeOf(client.Hub.ConnectionId!));
        var listed = await _app.GetJsonAsync<JsonElement>("/api/agents");
        Assert.DoesNotContain(listed.EnumerateArray(), a => a.GetProperty("nodeId").GetString() == registration.NodeId);
    }

    [Fact]
    public async Task OneConnection_SpeaksForOneNode_ASecondNodeIdIsRefused()
    {
        var client = await Own(ContractClient.ConnectWithAsync(_app, TestApp.AgentToken, "node-one"));

        var second = await client.RegisterAsync(ContractClient.Registration("node-two"));
        var again = await client.RegisterAsync(ContractClient.Registration("node-one"));

        Assert.False(second.Accepted);
        Assert.Contains("node-one", second.Reason);
        Assert.True(again.Accepted, again.Reason); // registering its own node again (after a reconnect) stays fine
        Assert.Null(_app.Agents.Get("node-two"));
    }

    [Fact]
    public async Task Leases_AreNotLogged()
    {
        var owner = await Own(ContractClient.ConnectWithAsync(_app, TestApp.AgentToken, "agentA"));
        var job = await RunJobOnAsync(owner);
        Assert.True((await owner.CompleteAsync(Succeeded("agentA", job))).Accepted);
        var forged = await owner.CompleteAsync(Succeeded("agentA", job)); // refused: logged, without the lease

        Assert.False(forged.Accepted);
        Assert.Contains(_logs.Lines, l => l.Contains(job.TaskId)); // the capture works at this level
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(job.LeaseToken));
    }
}
