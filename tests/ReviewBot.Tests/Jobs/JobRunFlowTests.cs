using System.Text.Json;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Agent.TestSupport;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Jobs;

/// <summary>
/// A job run end to end on real parts: Azurite, the app on Kestrel with its hub, a real agent process and a local bare
/// git repository. The job is fired through <see cref="JobLauncher"/> on the branch "feature".
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobRunFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Secret = "s3cr3t-v4lue-9000";

    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;
    private string _scratch = null!;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["README.md"] = "# demo\n" },
            new Dictionary<string, string?> { ["build.sh"] = "#!/bin/sh\necho building\n" });
        _scratch = Directory.CreateTempSubdirectory("reviewbot-job-").FullName;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }

    /// <summary>The app and one agent, online.</summary>
    private async Task<TestApp> StartAsync()
    {
        var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux);
        _owned.Add(app);
        var agent = AgentProcess.Start(app.Url, "job-box", ["linux"]);
        _owned.Add(agent);
        await app.WaitForOnlineAsync(agent, Timeouts.Long);
        return app;
    }

    private JobDefinition Job(string name, IReadOnlyList<JobStep> steps, TimeSpan? timeout = null) => new()
    {
        Name = name,
        Trigger = new JobTrigger(JobTriggerKind.Manual),
        Repository = "acme/widgets",
        CloneUrl = _repo.CloneUrl,
        Ref = "feature",
        Steps = steps,
        Variables = new Dictionary<string, string> { ["GREETING"] = "hello" },
        Secrets = new Dictionary<string, string> { ["API_KEY"] = Secret },
        Timeout = timeout ?? TimeSpan.FromMinutes(1),
    };

    private static async Task<string> FireAsync(TestApp app, JobDefinition job)
    {
        var launch = await app.Services.GetRequiredService<JobLauncher>().FireAsync(job, new JobFiring("manual-1", "test"), CancellationToken.None);
        Assert.Equal(LaunchOutcome.Created, launch.Outcome);
        return launch.TaskId;
    }

    /// <summary>Completes when the task's live log contains <paramref name="text"/>.</summary>
    private static Task LogShows(TestApp app, string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<LiveLogs>().Appended += (_, chunk) => { if (chunk.Contains(text, StringComparison.Ordinal)) seen.TrySetResult(); };
        return seen.Task;
    }

    [Fact]
    public async Task AJobRunsItsStepsOnTheAgent_RecordsTheirExitCodesAndOutput_WithTheSecretMasked()
    {
        var app = await StartAsync();
        var job = Job("build-feature", [
            new JobStep("greet", "echo \"greeting=$GREETING key=$API_KEY on $REVIEWBOT_REF\""),
            new JobStep("fail", "echo failing; exit 3"),
            new JobStep("never", "echo must-not-run"),
        ]);

        var id = await FireAsync(app, job);
        var done = await app.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Long, "the job's task to end");

        Assert.Equal(TaskState.Failed, done.State);
        Assert.Equal(3, done.ExitCode);
        Assert.Equal(_repo.HeadSha, done.HeadSha);
        var details = await app.GetJsonAsync<JsonElement>($"/api/tasks/{id}");
        Assert.Equal("build-feature", details.GetProperty("job").GetString());
        Assert.Equal(0, details.GetProperty("jobAttempt").GetInt32());
        Assert.Equal(_repo.HeadSha, details.GetProperty("resolvedSha").GetString());
        var steps = details.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["greet", "fail", "never"], steps.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([0, 3, (int?)null], steps.Select(s => s.GetProperty("exitCode").ValueKind == JsonValueKind.Null ? (int?)null : s.GetProperty("exitCode").GetInt32()));
        Assert.Equal([true, true, false], steps.Select(s => s.GetProperty("ran").GetBoolean()));
        var summary = (await app.GetJsonAsync<JsonElement>("/api/tasks")).EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);
        Assert.Equal("build-feature", summary.GetProperty("job").GetString());

        var log = await app.Http.GetStringAsync($"/api/tasks/{id}/log");
        Assert.Contains("▶ step 1/3: greet\ngreeting=hello key=*** on feature\n✔ exit 0 in ", log);
        Assert.Contains("▶ step 2/3: fail\nfailing\n✖ exit 3 in ", log);
        Assert.DoesNotContain("must-not-run", log);
        Assert.DoesNotContain(Secret, log);
        Assert.DoesNotContain(Secret, details.GetRawText());
    }

    [Fact]
    public async Task AbortingARunningJob_CancelsItAndTheAgentKillsTheStepsProcessTree()
    {
        var app = await StartAsync();
        var pidFile = Path.Combine(_scratch, "child.pid");
        var job = Job("sleeper", [new JobStep("sleep", $"sleep 1000 & echo $! > '{pidFile}'; echo step-started; wait"), new JobStep("after", "true")]);
        var started = LogShows(app, "step-started");
        var coordinator = app.Services.GetRequiredService<TaskCoordinator>();
        var agentDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var id = await FireAsync(app, job);
        coordinator.ResultRefused += refused => { if (refused == id) agentDone.TrySetResult(); };
        await started.WithTimeout(Timeouts.Long, "the step to start");
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(ProcessProbe.IsAlive(child));

        Assert.True(await coordinator.CancelAsync(id, "aborted by the test", CancellationToken.None));
        // The agent stops the step, then reports; the task has already ended, so its late result is refused.
        await agentDone.Task.WithTimeout(Timeouts.Long, "the agent to stop the job and report");

        var done = await app.Tasks.GetAsync(id, CancellationToken.None);
        Assert.Equal(TaskState.Cancelled, done!.State);
        Assert.True(await Bounded.EventuallyAsync(() => !ProcessProbe.IsAlive(child)), $"the step's child {child} survived the abort");
    }

    [Fact]
    public async Task AJobOverItsTimeout_EndsTimedOut()
    {
        var app = await StartAsync();
        var job = Job("too-slow", [new JobStep("sleep", "sleep 30")], timeout: TimeSpan.FromSeconds(2));

        var id = await FireAsync(app, job);
        var done = await app.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Long, "the job to time out");

        Assert.Equal(TaskState.TimedOut, done.State);
        Assert.Contains("timed out after 00:00:02", done.Error);
        var details = await app.GetJsonAsync<JsonElement>($"/api/tasks/{id}");
        var step = Assert.Single(details.GetProperty("steps").EnumerateArray());
        Assert.True(step.GetProperty("ran").GetBoolean());
        Assert.Equal(JsonValueKind.Null, step.GetProperty("exitCode").ValueKind);
    }
}
