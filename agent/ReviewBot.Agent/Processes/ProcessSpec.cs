namespace ReviewBot.Agent.Processes;

/// <summary>What to start. <see cref="FileName"/> is already resolved (see <see cref="CommandResolver"/>);
/// <see cref="Environment"/> is the child's whole environment, nothing is inherited.</summary>
internal sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment);

/// <summary>Bounds of one run.</summary>
internal sealed record ProcessLimits
{
    /// <summary>Wall-clock limit; zero or negative means none.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Time between the polite signal (SIGTERM) and the kill.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for the output pipes to close after the process ended.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Console output kept for parsing; more is streamed but not kept.</summary>
    public int MaxCapturedChars { get; init; } = 16 * 1024 * 1024;
}

internal enum ProcessEnd
{
    Exited,
    TimedOut,
    Cancelled,
}

/// <param name="ExitCode">Set when <see cref="End"/> is <see cref="ProcessEnd.Exited"/>.</param>
/// <param name="Output">stdout and stderr, merged in order on Unix; capped at <see cref="ProcessLimits.MaxCapturedChars"/>.</param>
internal sealed record ProcessOutcome(ProcessEnd End, int? ExitCode, string Output, bool OutputTruncated);

/// <summary>The executable could not be started at all (not found, not executable, bad working directory).</summary>
internal sealed class ProcessStartException(string message, Exception? inner = null) : Exception(message, inner);
