using System.Runtime.Versioning;
using ReviewBot.Agent.Processes;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Processes;

/// <summary>Unix tests: the scripts need sh, and the tree checks read /proc.</summary>
[UnsupportedOSPlatform("windows")]
public class ChildProcessTests
{
    private static readonly string Path = Environment.GetEnvironmentVariable("PATH")!;

    private static ProcessSpec Shell(string script, TempDirectory dir, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string> { ["PATH"] = Path, ["PIDFILE"] = dir.Combine("pid") };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return new ProcessSpec(CommandResolver.Resolve("sh", dir.Path, Path)!, ["-c", script], dir.Path, environment);
    }

    private static ProcessLimits Limits(double timeoutSeconds = 30) =>
        new() { Timeout = TimeSpan.FromSeconds(timeoutSeconds), KillGrace = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task MergesStdoutAndStderrInOrder()
    {
        using var dir = new TempDirectory();
        var streamed = new List<string>();

        var outcome = await ChildProcess.RunAsync(Shell("echo out1; echo err1 >&2; echo out2; echo err2 >&2", dir), Limits(), streamed.Add, CancellationToken.None).Within();

        Assert.Equal(ProcessEnd.Exited, outcome.End);
        Assert.Equal("out1\nerr1\nout2\nerr2\n", outcome.Output);
        Assert.Equal(outcome.Output, string.Concat(streamed));
    }

    [Fact]
    public async Task ReportsTheExitCode()
    {
        using var dir = new TempDirectory();

        var outcome = await ChildProcess.RunAsync(Shell("exit 3", dir), Limits(), _ => { }, CancellationToken.None).Within();

        Assert.Equal(3, outcome.ExitCode);
    }

    [Fact]
    public async Task TimeoutKillsTheWholeProcessTree()
    {
        using var dir = new TempDirectory();

        var outcome = await ChildProcess.RunAsync(Shell("sleep 1000 & echo $! > \"$PIDFILE\"; wait", dir), Limits(timeoutSeconds: 1), _ => { }, CancellationToken.None).Within();

        Assert.Equal(ProcessEnd.TimedOut, outcome.End);
        Assert.Null(outcome.ExitCode);
        var child = int.Parse(File.ReadAllText(dir.Combine("pid")).Trim());
        Assert.True(await Bounded.EventuallyAsync(() => !ProcessProbe.IsAlive(child)), $"child {child} survived the timeout");
    }

    [Fact]
    public async Task ChildrenIgnoringSigtermAreKilledAfterTheGracePeriod()
    {
        using var dir = new TempDirectory();

        var outcome = await ChildProcess.RunAsync(
            Shell("trap '' TERM; sleep 1000 & echo $! > \"$PIDFILE\"; wait; wait", dir), Limits(timeoutSeconds: 1), _ => { }, CancellationToken.None).Within();

        Assert.Equal(ProcessEnd.TimedOut, outcome.End);
        var child = int.Parse(File.ReadAllText(dir.Combine("pid")).Trim());
        Assert.True(await Bounded.EventuallyAsync(() => !ProcessProbe.IsAlive(child)), $"child {child} survived");
    }

    [Fact]
    public async Task CancellationKillsTheWholeProcessTree()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = ChildProcess.RunAsync(
            Shell("sleep 1000 & echo $! > \"$PIDFILE\"; echo started; wait", dir),
            Limits(),
            text =>
            {
                if (text.Contains("started", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            },
            cancel.Token);
        await started.Task.Within();
        await cancel.CancelAsync();
        var outcome = await run.Within();

        Assert.Equal(ProcessEnd.Cancelled, outcome.End);
        var child = int.Parse(File.ReadAllText(dir.Combine("pid")).Trim());
        Assert.True(await Bounded.EventuallyAsync(() => !ProcessProbe.IsAlive(child)), $"child {child} survived the cancellation");
    }

    [Fact]
    public async Task BackgroundChildrenLeftBehindAreKilledWhenTheCommandExits()
    {
        using var dir = new TempDirectory();

        var outcome = await ChildProcess.RunAsync(Shell("sleep 1000 & echo $! > \"$PIDFILE\"; echo done", dir), Limits(), _ => { }, CancellationToken.None).Within();

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("done\n", outcome.Output);
        var child = int.Parse(File.ReadAllText(dir.Combine("pid")).Trim());
        Assert.True(await Bounded.EventuallyAsync(() => !ProcessProbe.IsAlive(child)), $"child {child} outlived its command");
    }

    [Fact]
    public async Task TheChildSeesOnlyTheGivenEnvironment()
    {
        using var dir = new TempDirectory();
        Environment.SetEnvironmentVariable("RB_CHILDPROCESS_TEST_SECRET", "leaked");

        var outcome = await ChildProcess.RunAsync(Shell("env", dir, new Dictionary<string, string> { ["GIVEN"] = "yes" }), Limits(), _ => { }, CancellationToken.None).Within();

        Assert.Contains("GIVEN=yes", outcome.Output);
        Assert.DoesNotContain("RB_CHILDPROCESS_TEST_SECRET", outcome.Output);
    }

    [Fact]
    public async Task CapturedOutputIsCappedButStillStreamed()
    {
        using var dir = new TempDirectory();
        var streamed = 0;

        var outcome = await ChildProcess.RunAsync(
            Shell("i=0; while [ $i -lt 100 ]; do echo 0123456789; i=$((i+1)); done", dir),
            Limits() with { MaxCapturedChars = 50 },
            text => streamed += text.Length,
            CancellationToken.None).Within();

        Assert.True(outcome.OutputTruncated);
        Assert.Equal(50, outcome.Output.Length);
        Assert.Equal(1100, streamed);
    }

    [Fact]
    public void ResolvesCommandsAgainstTheGivenPath()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("tool.sh"), "#!/bin/sh\n");
        File.SetUnixFileMode(dir.Combine("tool.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(dir.Combine("not-executable.sh"), "#!/bin/sh\n");

        Assert.NotNull(CommandResolver.Resolve("sh", dir.Path, Path));
        Assert.Null(CommandResolver.Resolve("sh", dir.Path, dir.Path));
        Assert.Equal(dir.Combine("tool.sh"), CommandResolver.Resolve("./tool.sh", dir.Path, ""));
        Assert.Equal(dir.Combine("tool.sh"), CommandResolver.Resolve("tool.sh", "/", dir.Path));
        Assert.Null(CommandResolver.Resolve("./not-executable.sh", dir.Path, ""));
        Assert.Null(CommandResolver.Resolve("no-such-linter-anywhere", dir.Path, Path));
    }
}
