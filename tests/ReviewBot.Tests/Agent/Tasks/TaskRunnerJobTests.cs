using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Tasks;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Tasks;

/// <summary>A job's task (<c>TaskRunner.Job.cs</c>) against a real git repo and real shells.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class TaskRunnerJobTests(TestRepo repo) : IClassFixture<TestRepo>, IDisposable
{
    private readonly TempDirectory _workDir = new();
    private readonly FakeAgentServer _server = new();

    public void Dispose() => _workDir.Dispose();

    private static JobSpec Job(
        IReadOnlyList<JobStep> steps,
        IReadOnlyDictionary<string, string>? variables = null,
        IReadOnlyDictionary<string, string>? secrets = null,
        double timeoutSeconds = 60) =>
        new("nightly", steps, variables ?? new Dictionary<string, string>(), secrets ?? new Dictionary<string, string>(), TimeSpan.FromSeconds(timeoutSeconds));

    /// <summary>A job's source as the server sends it for a ref: no commit, no base.</summary>
    private SourceSpec OnRef(string headRef) => new("acme/widgets", repo.CloneUrl, "", headRef, null, null, null, null) { AllowLocal = true };

    private TaskRunner NewRunner(JobSpec job, SourceSpec? source = null, IReadOnlyDictionary<string, string>? agentEnvironment = null) =>
        new(
            new TaskAssignment("job-task", "lease-1", 1, source ?? OnRef("feature"), new LinterSpec(job.Name, [], [], new Dictionary<string, string>(), null, "none", [], job.Timeout), TimeSpan.FromSeconds(10)) { Job = job },
            "node-1",
            new RepoCache(_workDir.Path, NullLogger<RepoCache>.Instance),
            _server,
            new TaskRunnerOptions
            {
                KillGrace = TimeSpan.FromMilliseconds(500),
                InheritedEnvironment = () => agentEnvironment ?? new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH")! },
            },
            TimeProvider.System,
            NullLogger<TaskRunner>.Instance);

    private string Log => _server.LogText("job-task");

    [Fact]
    public async Task StepsRunInOrderInTheCheckoutOfTheRef_AndTheResolvedCommitIsReported()
    {
        using var runner = NewRunner(Job([new JobStep("where", "git rev-parse HEAD; test -f new.sh && echo has-new"), new JobStep("again", "echo second")]));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Succeeded, result.Outcome);
        Assert.Equal(repo.HeadSha, result.ResolvedSha);
        Assert.Equal([("where", 0, true), ("again", 0, true)], result.Steps.Select(s => (s.Name, s.ExitCode, s.Ran)));
        Assert.Contains($"▶ step 1/2: where\n{repo.HeadSha}\nhas-new\n✔ exit 0 in ", Log);
        Assert.Contains("▶ step 2/2: again\nsecond\n✔ exit 0 in ", Log);
        Assert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("refs/heads/main")]
    public async Task ABranchNameOrItsFullRefIsFetched(string headRef)
    {
        using var runner = NewRunner(Job([new JobStep("", "true")]), OnRef(headRef));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Succeeded, result.Outcome);
        Assert.Equal(repo.BaseSha, result.ResolvedSha);
        Assert.Equal("step 1", Assert.Single(result.Steps).Name);
    }

    [Fact]
    public async Task AGivenCommitIsUsedAsIs()
    {
        using var runner = NewRunner(Job([new JobStep("sha", "echo \"$REVIEWBOT_SHA\"")]), OnRef("main") with { HeadSha = repo.BaseOfBranch });

        var result = await runner.RunAsync().Within();

        Assert.Equal(repo.BaseOfBranch, result.ResolvedSha);
        Assert.Contains($"▶ step 1/1: sha\n{repo.BaseOfBranch}\n", Log);
    }

    [Fact]
    public async Task TheFirstFailingStepEndsTheRunAndLaterStepsDoNotRun()
    {
        var marker = _workDir.Combine("third-ran");
        using var runner = NewRunner(Job([new JobStep("ok", "echo fine"), new JobStep("bad", "printf 'no newline'; exit 3"), new JobStep("never", $"touch '{marker}'")]));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal([0, 3, null], result.Steps.Select(s => s.ExitCode));
        Assert.Equal([true, true, false], result.Steps.Select(s => s.Ran));
        Assert.Equal("step 2/3 'bad' exited with 3", result.Error);
        Assert.Contains("no newline\n✖ exit 3 in ", Log);
        Assert.DoesNotContain("step 3/3", Log);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task StepsGetTheAgentsEnvironmentTheJobsVariablesAndSecretsAndTheWellKnownOnes_ButNotTheAgentsOwnSettings()
    {
        var agentEnvironment = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH")!,
            ["FROM_AGENT"] = "agent-value",
            ["REVIEWBOT_TOKEN"] = "agent-registration-token",
        };
        using var runner = NewRunner(
            Job([new JobStep("env", "env | sort")], variables: new Dictionary<string, string> { ["GREETING"] = "hello" }, secrets: new Dictionary<string, string> { ["API_KEY"] = "k3y-v4lue-123" }),
            agentEnvironment: agentEnvironment);

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Succeeded, result.Outcome);
        Assert.Contains("\nFROM_AGENT=agent-value\n", Log);
        Assert.Contains("\nGREETING=hello\n", Log);
        Assert.Contains("\nAPI_KEY=***\n", Log);
        Assert.Contains("\nCI=true\n", Log);
        Assert.Contains("\nREVIEWBOT_TASK_ID=job-task\n", Log);
        Assert.Contains("\nREVIEWBOT_JOB=nightly\n", Log);
        Assert.Contains("\nREVIEWBOT_REF=feature\n", Log);
        Assert.Contains($"\nREVIEWBOT_SHA={repo.HeadSha}\n", Log);
        Assert.DoesNotContain("agent-registration-token", Log);
        Assert.DoesNotContain("k3y-v4lue-123", string.Concat(_server.Chunks.Select(c => c.Text)));
    }

    [Fact]
    public async Task SecretsAreMaskedInTheErrorTextToo()
    {
        using var runner = NewRunner(Job([new JobStep("fails with $SECRET_NAME", "exit 1")], secrets: new Dictionary<string, string> { ["S"] = "fails with" }));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.DoesNotContain("fails with", result.Error);
        Assert.Contains("***", result.Error);
    }

    [Fact]
    public async Task TheJobTimeoutBoundsAllStepsTogether_AndKillsTheRunningTree()
    {
        var pidFile = _workDir.Combine("child.pid");
        using var runner = NewRunner(Job(
            [new JobStep("quick", "sleep 0.2"), new JobStep("slow", $"sleep 1000 & echo $! > '{pidFile}'; wait"), new JobStep("after", "true")],
            timeoutSeconds: 8)); // room for the checkout and the first step on a loaded machine; the slow step never ends

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.TimedOut, result.Outcome);
        Assert.Equal([(0, true), (null, true), (null, false)], result.Steps.Select(s => (s.ExitCode, s.Ran)));
        Assert.Contains("✖ killed: the job's timeout", Log);
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(await Bounded.EventuallyAsync(() => !ProcessProbe.IsAlive(child)), $"child {child} survived the timeout");
    }

    [Fact]
    public async Task CancellingKillsTheRunningStepsTree()
    {
        var pidFile = _workDir.Combine("child.pid");
        using var runner = NewRunner(Job([new JobStep("sleeper", $"sleep 1000 & echo $! > '{pidFile}'; echo started; wait"), new JobStep("after", "true")]));

        var run = runner.RunAsync();
        await _server.WaitForAsync(s => s.LogText("job-task").Contains("started\n", StringComparison.Ordinal));
        runner.Cancel("aborted by admin");
        var result = await run.Within();

        Assert.Equal(TaskOutcome.Cancelled, result.Outcome);
        Assert.Equal("cancelled: aborted by admin", result.Error);
        Assert.Equal([(null, true), (null, false)], result.Steps.Select(s => (s.ExitCode, s.Ran)));
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(await Bounded.EventuallyAsync(() => !ProcessProbe.IsAlive(child)), $"child {child} survived the cancellation");
    }

    [Fact]
    public async Task AnUnknownRefIsAnErrorAndNoStepRuns()
    {
        using var runner = NewRunner(Job([new JobStep("build", "true")]), OnRef("no-such-branch"));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Errored, result.Outcome);
        Assert.Contains("checkout of acme/widgets@no-such-branch failed", result.Error);
        Assert.Equal([false], result.Steps.Select(s => s.Ran));
    }

    [Fact]
    public async Task ARefThatLooksLikeAnOptionIsRefused()
    {
        using var runner = NewRunner(Job([new JobStep("build", "true")]), OnRef("--upload-pack=touch /tmp/x"));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Errored, result.Outcome);
        Assert.Contains("is not a branch or tag name", result.Error);
    }
}
