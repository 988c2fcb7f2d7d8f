using System.Collections.Concurrent;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Linting;
using ReviewBot.Agent.Tasks;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Tasks;

/// <summary>
/// The runner against a real git repo and real processes. The output parser is another
/// engineer's: these tests plug in a stub that records the text it is given and turns lines
/// starting with "FINDING " into findings, so outcomes can be asserted independently of formats.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class TaskRunnerTests(TestRepo repo) : IClassFixture<TestRepo>, IDisposable
{
    private readonly TempDirectory _workDir = new();
    private readonly FakeAgentServer _server = new();
    private readonly ConcurrentQueue<string> _parsed = new();

    public void Dispose() => _workDir.Dispose();

    private ParseResult StubParse(string format, string output, string? repoRoot)
    {
        _parsed.Enqueue(output);
        var findings = output.Split('\n')
            .Where(l => l.StartsWith("FINDING ", StringComparison.Ordinal))
            .Select(l => new Finding(l["FINDING ".Length..], 1, null, null, Severity.Warning, null, "stub"))
            .ToList();
        return new ParseResult(findings, []);
    }

    private static LinterSpec Shell(string script, IReadOnlyList<string>? languages = null, IReadOnlyDictionary<string, string>? env = null, double timeoutSeconds = 60) =>
        new("stub-lint", ["sh", "-c", script, "lint"], ["{files}"], env ?? new Dictionary<string, string>(), null, "auto", languages ?? [".sh"], TimeSpan.FromSeconds(timeoutSeconds));

    private TaskRunner NewRunner(LinterSpec linter, SourceSpec? source = null, OutputParser? parse = null) =>
        new(
            new TaskAssignment("task-x", "lease-1", 1, source ?? repo.Source(), linter, TimeSpan.FromSeconds(10)),
            "node-1",
            new RepoCache(_workDir.Path, NullLogger<RepoCache>.Instance),
            _server,
            new TaskRunnerOptions { Parse = parse ?? StubParse, KillGrace = TimeSpan.FromMilliseconds(500) },
            TimeProvider.System,
            NullLogger<TaskRunner>.Instance);

    [Fact]
    public async Task RunsTheLinterOnTheMatchingChangedFilesAndParsesTheArtifactFiles()
    {
        using var runner = NewRunner(Shell("for f in \"$@\"; do echo \"FINDING $f\" >> \"$ARTIFACT/lint.log\"; done; echo console noise"));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        // The linter gets ./path (a file named like an option stays a file); the real parsers drop the "./".
        Assert.Equal(["./a.sh", "./new.sh"], result.Findings.Select(f => f.File));
        Assert.Equal(TestRepo.ExpectedChangedFiles, result.ChangedFiles);
        Assert.Equal("FINDING ./a.sh\nFINDING ./new.sh\n", Assert.Single(_parsed));
        Assert.Equal(("node-1", "task-x", "lease-1"), (result.NodeId, result.TaskId, result.LeaseToken));
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task WithoutArtifactFilesTheConsoleOutputIsParsed()
    {
        using var runner = NewRunner(Shell("echo all good; echo warning >&2; : > \"$ARTIFACT/empty.log\""));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Succeeded, result.Outcome);
        Assert.Equal("all good\nwarning\n", Assert.Single(_parsed));
    }

    [Fact]
    public async Task ANonZeroExitFailsTheTask()
    {
        using var runner = NewRunner(Shell("exit 2"));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public async Task ShellCheckRunsOnTheChangedShellScripts()
    {
        var linter = new LinterSpec("shellcheck", ["shellcheck"], ["-f", "gcc", "{files}"], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1));
        using var runner = NewRunner(linter);

        var result = await runner.RunAsync().Within();

        // a.sh has "echo $1" (SC2086); new.sh is clean. Findings depend on the gcc parser (not asserted here).
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        var output = Assert.Single(_parsed);
        Assert.Contains("a.sh:2:6:", output);
        Assert.Contains("[SC2086]", output);
        Assert.DoesNotContain("new.sh:", output);
    }

    [Fact]
    public async Task NoMatchingChangedFileSkipsWithoutRunningAnything()
    {
        var marker = _workDir.Combine("ran");
        using var runner = NewRunner(Shell($"touch '{marker}'", languages: [".go"]));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Skipped, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.Equal(TestRepo.ExpectedChangedFiles, result.ChangedFiles);
        Assert.False(File.Exists(marker));
        Assert.Empty(_parsed);
    }

    [Fact]
    public async Task AMissingCommandIsAnError()
    {
        var linter = Shell("") with { Command = ["no-such-linter-xyz"] };
        using var runner = NewRunner(linter);

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Errored, result.Outcome);
        Assert.StartsWith("command not found: no-such-linter-xyz", result.Error);
    }

    [Fact]
    public async Task AFailedCloneIsAnErrorSayingSo()
    {
        using var runner = NewRunner(Shell("true"), repo.Source() with { CloneUrl = new Uri(_workDir.Combine("missing.git")).AbsoluteUri });

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Errored, result.Outcome);
        Assert.Contains("checkout of acme/widgets@", result.Error);
        Assert.Contains("git fetch failed", result.Error);
    }

    [Fact]
    public async Task AWorkDirOutsideTheRepositoryIsAnError()
    {
        using var runner = NewRunner(Shell("true") with { WorkDir = "../.." });

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Errored, result.Outcome);
        Assert.Contains("workDir", result.Error);
    }

    [Fact]
    public async Task AParserFailureIsAnErrorKeepingTheExitCode()
    {
        using var runner = NewRunner(Shell("echo output"), parse: (_, _, _) => throw new NotImplementedException("parser not there yet"));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Errored, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("parser not there yet", result.Error);
    }

    [Fact]
    public async Task TheTimeoutKillsTheProcessTree()
    {
        var pidFile = _workDir.Combine("child.pid");
        using var runner = NewRunner(Shell("sleep 1000 & echo $! > \"$PIDFILE\"; wait", env: new Dictionary<string, string> { ["PIDFILE"] = pidFile }, timeoutSeconds: 1));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.TimedOut, result.Outcome);
        Assert.Contains("timed out", result.Error);
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(await Bounded.EventuallyAsync(() => !ProcessProbe.IsAlive(child)), $"child {child} survived the timeout");
    }

    [Fact]
    public async Task CancellingKillsTheProcessTree()
    {
        var pidFile = _workDir.Combine("child.pid");
        using var runner = NewRunner(Shell("sleep 1000 & echo $! > \"$PIDFILE\"; echo started; wait", env: new Dictionary<string, string> { ["PIDFILE"] = pidFile }));

        var run = runner.RunAsync();
        await _server.WaitForAsync(s => s.LogText("task-x").Contains("started\n", StringComparison.Ordinal));
        runner.Cancel("superseded by a new push");
        var result = await run.Within();

        Assert.Equal(TaskOutcome.Cancelled, result.Outcome);
        Assert.Equal("cancelled: superseded by a new push", result.Error);
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(await Bounded.EventuallyAsync(() => !ProcessProbe.IsAlive(child)), $"child {child} survived the cancellation");
    }

    [Fact]
    public async Task TheLinterGetsACleanEnvironment()
    {
        Environment.SetEnvironmentVariable("RB_AGENT_ONLY_SECRET", "must-not-leak");
        using var runner = NewRunner(Shell(
            "env > \"$ARTIFACT/env.txt\"; echo FILES >> \"$ARTIFACT/env.txt\"; cat \"$REVIEWBOT_CHANGED_FILES\" >> \"$ARTIFACT/env.txt\"",
            env: new Dictionary<string, string> { ["LINTER_SETTING"] = "from-spec" }));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Succeeded, result.Outcome);
        var environment = Assert.Single(_parsed);
        Assert.DoesNotContain("RB_AGENT_ONLY_SECRET", environment);
        Assert.Contains("\nARTIFACT=", "\n" + environment);
        Assert.Contains("LINTER_SETTING=from-spec", environment);
        Assert.Contains("REVIEWBOT_TASK_ID=task-x", environment);
        Assert.Contains($"REVIEWBOT_HEAD_SHA={repo.HeadSha}", environment);
        Assert.Contains("PATH=", environment);
        Assert.EndsWith("FILES\na.sh\nnew.sh\n", environment);
    }

    [Fact]
    public async Task LogChunksAreNumberedInOrderAndTheTokenIsMasked()
    {
        const string token = "ghs_Sup3rS3cretT0ken";
        using var runner = NewRunner(Shell($"i=0; while [ $i -lt 50 ]; do echo \"line $i token={token}\"; i=$((i+1)); done"), repo.Source(token: token));

        var result = await runner.RunAsync().Within();

        Assert.Equal(TaskOutcome.Succeeded, result.Outcome);
        var chunks = _server.Chunks;
        Assert.Equal(Enumerable.Range(0, chunks.Count).Select(i => (long)i), chunks.Select(c => c.Sequence));
        Assert.DoesNotContain(chunks, c => c.Text.Contains(token, StringComparison.Ordinal));
        var log = _server.LogText("task-x");
        Assert.Contains("line 0 token=***\n", log);
        Assert.Contains("line 49 token=***\n", log);
        Assert.Contains("[reviewbot-agent] succeeded, exit code 0", log);
        Assert.DoesNotContain(token, Assert.Single(_parsed));
    }

    [Fact]
    public async Task TheTaskDirectoryIsRemovedAfterwards()
    {
        using var runner = NewRunner(Shell("echo hi > \"$ARTIFACT/out\""));

        await runner.RunAsync().Within();

        Assert.Empty(Directory.GetDirectories(_workDir.Combine("tasks")));
    }
}
