using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ReviewBot.Agent.Processes;

/// <summary>
/// Runs one command as a process tree the agent can stop as a whole.
/// On Unix the child starts in its own session and process group (through <c>setsid</c> when
/// available) with stderr joined to stdout by <c>/bin/sh -c 'exec "$@" 2>&amp;1'</c>, so the output
/// keeps its order and a signal to the group reaches every descendant. Stopping escalates:
/// SIGTERM to the group, <see cref="ProcessLimits.KillGrace"/>, then kill the tree and the group.
/// When the main process exits, what it left running in its group is killed too.
/// On Windows the tree is killed with <see cref="Process.Kill(bool)"/>; stdout and stderr are
/// interleaved as they arrive.
/// </summary>
internal static class ChildProcess
{
    private const string MergeScript = "exec \"$@\" 2>&1";

    /// <param name="onOutput">Receives output as it arrives (from reader threads, one call at a time).</param>
    /// <param name="onStarted">Receives the process id once started.</param>
    public static async Task<ProcessOutcome> RunAsync(
        ProcessSpec spec,
        ProcessLimits limits,
        Action<string> onOutput,
        CancellationToken cancellationToken,
        Action<int>? onStarted = null)
    {
        using var process = new Process { StartInfo = CreateStartInfo(spec) };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            throw new ProcessStartException($"could not start {spec.FileName}: {ex.Message}", ex);
        }

        var processId = process.Id;
        onStarted?.Invoke(processId);
        process.StandardInput.Close();

        var sink = new OutputSink(onOutput, limits.MaxCapturedChars);
        var readers = Task.WhenAll(ReadAsync(process.StandardOutput, sink), ReadAsync(process.StandardError, sink));

        using var timeout = limits.Timeout > TimeSpan.Zero ? new CancellationTokenSource(Clamp(limits.Timeout)) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var end = ProcessEnd.Exited;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Control flow: the caller cancelled or the timeout fired; either way the tree goes.
            end = cancellationToken.IsCancellationRequested ? ProcessEnd.Cancelled : ProcessEnd.TimedOut;
            await StopTreeAsync(process, processId, limits.KillGrace).ConfigureAwait(false);
        }

        // Background children the command left behind belong to the task, not to the agent.
        UnixSignals.SignalGroup(processId, UnixSignals.SigKill);

        if (await Task.WhenAny(readers, Task.Delay(limits.DrainTimeout, CancellationToken.None)).ConfigureAwait(false) != readers)
        {
            // A detached descendant still holds the pipe: stop waiting; disposing the process closes our end.
            _ = readers.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        return new ProcessOutcome(end, end == ProcessEnd.Exited ? process.ExitCode : null, sink.Captured, sink.Truncated);
    }

    /// <summary>A start with stdin, stdout and stderr redirected (UTF-8), no shell, no window.</summary>
    internal static ProcessStartInfo Redirected(string fileName, string workingDirectory) => new(fileName)
    {
        UseShellExecute = false,
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        StandardOutputEncoding = Encoding.UTF8,
        StandardErrorEncoding = Encoding.UTF8,
        CreateNoWindow = true,
        WorkingDirectory = workingDirectory,
    };

    private static ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        var info = Redirected(spec.FileName, spec.WorkingDirectory);

        info.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        var (fileName, prefix) = Launcher();
        info.FileName = fileName ?? spec.FileName;
        foreach (var argument in prefix)
        {
            info.ArgumentList.Add(argument);
        }

        if (fileName is not null)
        {
            info.ArgumentList.Add(spec.FileName);
        }

        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>The wrapper in front of the command: setsid + sh on Linux, sh elsewhere on Unix, none on Windows.</summary>
    private static (string? FileName, string[] Prefix) Launcher()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/sh"))
        {
            return (null, []);
        }

        // "-w": if setsid has to fork (it was started as a group leader), it still waits and returns the exit code.
        var setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
        return setsid is null
            ? ("/bin/sh", ["-c", MergeScript, "reviewbot-task"])
            : (setsid, ["-w", "/bin/sh", "-c", MergeScript, "reviewbot-task"]);
    }

    private static async Task StopTreeAsync(Process process, int processId, TimeSpan grace)
    {
        if (!OperatingSystem.IsWindows())
        {
            UnixSignals.SignalGroup(processId, UnixSignals.SigTerm);
            UnixSignals.Signal(processId, UnixSignals.SigTerm);
            await WaitForExitAsync(process, grace).ConfigureAwait(false);
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        UnixSignals.SignalGroup(processId, UnixSignals.SigKill);
        await WaitForExitAsync(process, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    private static async Task WaitForExitAsync(Process process, TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Still running after the limit: the caller escalates.
        }
    }

    private static async Task ReadAsync(StreamReader reader, OutputSink sink)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            sink.Add(new string(buffer, 0, read));
        }
    }

    private static TimeSpan Clamp(TimeSpan value) =>
        value > TimeSpan.FromDays(24) ? TimeSpan.FromDays(24) : value;

    private sealed class OutputSink(Action<string> onOutput, int maxChars)
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _captured = new();

        public bool Truncated { get; private set; }

        public string Captured
        {
            get
            {
                lock (_lock)
                {
                    return _captured.ToString();
                }
            }
        }

        public void Add(string text)
        {
            lock (_lock)
            {
                var room = maxChars - _captured.Length;
                if (room >= text.Length)
                {
                    _captured.Append(text);
                }
                else
                {
                    _captured.Append(text, 0, Math.Max(0, room));
                    Truncated = true;
                }

                onOutput(text);
            }
        }
    }
}
