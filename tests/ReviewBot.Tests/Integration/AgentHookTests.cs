using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Agent.TestSupport;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Integration;

/// <summary>
/// Job hooks with the real agent process: a pre-task hook that exits non-zero refuses the task, which goes to another
/// agent with the hook's reason in its placement history; hooks that pass see the task's metadata, and the post-task
/// hook its outcome.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentHookTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly GitRepo _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    private readonly DirectoryInfo _hooks = Directory.CreateTempSubdirectory("reviewbot-hooks-");
    private TestApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await TestApp.StartAsync(azurite, Configs.Single("quick", "\".sh\"", "[\"sh\", \"-c\", \"echo linted\", \"quick\"]", nodeLabels: "linux"));

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        await _app.DisposeAsync();
        _repo.Dispose();
        _hooks.Delete(recursive: true);
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_hooks.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private AgentProcess Start(string name, params string[] extraArgs)
    {
        var agent = AgentProcess.Start(_app.Url, name, ["linux"], extraArgs: extraArgs);
        _owned.Add(agent);
        return agent;
    }

    [Fact]
    public async Task FailingPreTaskHook_RefusesTheTask_WithItsReasonInTheHistory_AndAnotherAgentWhoseHooksPassRunsIt()
    {
        var refuse = Script("refuse.sh", "echo checking docker\necho no docker daemon on this box\nexit 7");
        var picky = Start("picky-box", "--hook-pre-task", refuse);
        await _app.WaitForOnlineAsync(picky, Timeouts.Long);
        var delivery = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var taskId = JsonDocument.Parse(await delivery.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;

        var refused = await _app.WaitForTaskAsync(taskId, t => t.History.Any(h => h.Note.Contains("pre-task hook", StringComparison.Ordinal)),
            Timeouts.Long, "the pre-task hook to refuse the task");
        Assert.Contains(refused.History, h => h.Note.Contains("refused by picky-box: pre-task hook exited 7: no docker daemon on this box", StringComparison.Ordinal));

        var before = Path.Combine(_hooks.FullName, "before.env");
        var after = Path.Combine(_hooks.FullName, "after.env");
        var pass = Script("pass.sh", $"env | grep '^REVIEWBOT_' > '{before}'");
        var post = Script("post.sh", $"env | grep '^REVIEWBOT_' > '{after}'");
        var willing = Start("willing-box", "--hook-pre-task", pass, "--hook-post-task", post);

        var done = await _app.WaitForTaskAsync(taskId, t => t.State == TaskState.Succeeded, Timeouts.Long, "the task to run on the agent whose hook passes");
        Assert.Equal("willing-box", done.NodeName);
        var seenBefore = File.ReadAllText(before);
        Assert.Contains($"REVIEWBOT_TASK_ID={taskId}", seenBefore);
        Assert.Contains("REVIEWBOT_LINTER=quick", seenBefore);
        Assert.Contains("REVIEWBOT_REPOSITORY=Codertocat/Hello-World", seenBefore);
        Assert.DoesNotContain("REVIEWBOT_TOKEN", seenBefore);
        // The post hook runs after the result was delivered, in another process: its file is the signal.
        Assert.True(await Bounded.EventuallyAsync(() => File.Exists(after) && File.ReadAllText(after).Contains("REVIEWBOT_TASK_OUTCOME", StringComparison.Ordinal)), willing.Output);
        Assert.Contains("REVIEWBOT_TASK_OUTCOME=succeeded", File.ReadAllText(after));
        Assert.Contains($"REVIEWBOT_TASK_ID={taskId}", File.ReadAllText(after));
        Assert.False(willing.HasExited);
    }
}
