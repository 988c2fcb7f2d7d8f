using System.Diagnostics;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ReviewBot.Tests.Integration;

/// <summary>The release build: <c>scripts/publish-agent.sh</c> for linux-x64 once per test run (this fixture), its
/// executable and SHA-256 list.</summary>
public sealed class PublishedAgent : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("reviewbot-published-agent-").FullName;

    public string Executable { get; private set; } = "";

    public string Output { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "scripts", "publish-agent.sh"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root,
        };
        start.ArgumentList.Add(Directory);
        start.ArgumentList.Add("linux-x64");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WithTimeout(TimeSpan.FromMinutes(15), "scripts/publish-agent.sh linux-x64");
        Output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, Output);
        Executable = System.IO.Directory.GetFiles(Directory, "reviewbot-agent-*-linux-x64").Single();
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The published single-file agent (self-contained, no dotnet on the path needed) against the app: it registers, runs
/// a real shellcheck task and drains on SIGTERM.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublishedAgentTests(AzuriteFixture azurite, PublishedAgent published, ITestOutputHelper log) : IClassFixture<PublishedAgent>, IAsyncLifetime
{
    private readonly GitRepo _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" },
        new Dictionary<string, string?> { ["bad.sh"] = "#!/bin/sh\nfor f in $(ls *.txt); do echo $f; done\n" });
    private TestApp _app = null!;
    private AgentProcess? _agent;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, Configs.Single("shellcheck", "\".sh\"", "[\"shellcheck\", \"-f\", \"gcc\"]", nodeLabels: "linux"));

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task PublishedSingleFile_Registers_RunsShellcheck_AndDrainsOnSigterm()
    {
        var sums = File.ReadAllText(Path.Combine(published.Directory, "SHA256SUMS"));
        Assert.Contains(Path.GetFileName(published.Executable), sums);
        var size = new FileInfo(published.Executable).Length;

        var clock = Stopwatch.StartNew();
        _agent = AgentProcess.Start(_app.Url, "published-box", ["linux"], executable: published.Executable);
        await _app.WaitForOnlineAsync(_agent, Timeouts.Long);
        log.WriteLine($"published agent: {size / 1024.0 / 1024.0:0.0} MiB, registered {clock.ElapsedMilliseconds} ms after start");
        Assert.StartsWith("0.", _app.Agents.All.Single(n => n.Name == "published-box").Registration!.Version);

        var delivery = await _app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        var taskId = JsonDocument.Parse(await delivery.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks")[0].GetString()!;
        var done = await _app.WaitForTaskAsync(taskId, t => t.State is TaskState.Succeeded or TaskState.Failed or TaskState.Errored, Timeouts.Long, "the shellcheck task to end");

        Assert.Equal(TaskState.Failed, done.State);
        var findings = (await _app.GetJsonAsync<JsonElement>($"/api/tasks/{taskId}")).GetProperty("findings").EnumerateArray();
        Assert.Contains(findings, f => f.GetProperty("file").GetString() == "bad.sh" && f.GetProperty("rule").GetString() == "SC2045");
        _agent.Terminate();
        await _agent.WaitForExitAsync(Timeouts.Long);
        Assert.True(_agent.ExitCode == 0, _agent.Output);
        Assert.Contains("Drained", _agent.Output);
    }
}
