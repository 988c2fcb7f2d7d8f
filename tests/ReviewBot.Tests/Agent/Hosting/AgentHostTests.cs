using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Commands;
using ReviewBot.Agent.Hosting;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Hosting;

/// <summary>
/// The whole agent (host, connection, supervisor, runner, git cache) against a recording SignalR
/// hub and a local git repo. Outcomes that depend on the output parser are not asserted here.
/// </summary>
public sealed class AgentHostTests(TestRepo repo) : IClassFixture<TestRepo>
{
    [Fact]
    public async Task RunsAnAssignedTaskAndOnShutdownDrainsBeforeExiting()
    {
        await using var server = await TestAgentHubServer.StartAsync();
        using var workDir = new TempDirectory();
        using var shutdown = new CancellationTokenSource();
        var options = new AgentOptions(server.BaseUrl, "agent-token", ["linux"], 2, workDir.Path, "e2e-agent", Exclusive: false);

        var run = AgentHost.RunAsync(options, NullLoggerFactory.Instance, TimeProvider.System, listenToSignals: false, shutdown.Token);
        await server.State.WaitForAsync(s => !s.Registrations.IsEmpty);
        var connectionId = server.State.Registrations.Single().ConnectionId;

        // A task that waits for a go-ahead file, so it is still running when the shutdown comes.
        var go = workDir.Combine("go");
        var linter = new LinterSpec(
            "wait-lint", ["sh", "-c", "echo \"waiting on $# files\"; while [ ! -f \"$GO\" ]; do sleep 0.05; done; echo done", "lint"], ["{files}"],
            new Dictionary<string, string> { ["GO"] = go }, null, "auto", [".sh"], TimeSpan.FromMinutes(1));
        await server.Clients.Clients.Client(connectionId).AssignTask(new TaskAssignment("t1", "lease-1", 1, repo.Source(), linter, TimeSpan.FromSeconds(10))).Within();
        await server.State.WaitForAsync(s => s.LogText("t1").Contains("waiting on 2 files", StringComparison.Ordinal));

        await shutdown.CancelAsync();
        await server.State.WaitForAsync(s => s.Heartbeats.Any(h => h.Draining && h.RunningTaskIds.Contains("t1")));
        await server.Clients.Clients.Client(connectionId).AssignTask(new TaskAssignment("t2", "lease-2", 1, repo.Source(), linter, TimeSpan.FromSeconds(10))).Within();
        await server.State.WaitForAsync(s => s.Acceptances.Any(a => a.TaskId == "t2"));
        Assert.False(run.IsCompleted);

        File.WriteAllText(go, "");
        var exitCode = await run.Within();

        Assert.Equal(AgentHost.ExitOk, exitCode);
        Assert.True(server.State.Acceptances.Single(a => a.TaskId == "t1").Accepted);
        var refusal = server.State.Acceptances.Single(a => a.TaskId == "t2");
        Assert.False(refusal.Accepted);
        Assert.Contains("draining", refusal.Reason);
        var result = server.State.Results.Single();
        Assert.Equal(("t1", "lease-1", 0), (result.TaskId, result.LeaseToken, result.ExitCode));
        Assert.Equal(TestRepo.ExpectedChangedFiles, result.ChangedFiles);
        Assert.Contains("done\n", server.State.LogText("t1"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(workDir.Path, "tasks")));
    }

    [Fact]
    public async Task ARefusedRegistrationExitsWithCodeTwo()
    {
        var state = new TestAgentHubServer.HubState { OnRegister = _ => new RegistrationResult(false, "unknown agent token", TimeSpan.Zero, []) };
        await using var server = await TestAgentHubServer.StartAsync(state: state);
        using var workDir = new TempDirectory();
        var options = new AgentOptions(server.BaseUrl, "bad-token", [], 1, workDir.Path, "e2e-agent", Exclusive: false);

        var exitCode = await AgentHost.RunAsync(options, NullLoggerFactory.Instance, TimeProvider.System, listenToSignals: false, CancellationToken.None).Within();

        Assert.Equal(AgentHost.ExitRefused, exitCode);
    }
}
