using System.Diagnostics;

namespace ReviewBot.Testing;

/// <summary>POSIX signals for agent processes: freeze (SIGSTOP) and resume (SIGCONT) a machine, or ask it to stop (SIGTERM).</summary>
public static class Signals
{
    public static void Stop(int pid) => Send(pid, "STOP");
    public static void Continue(int pid) => Send(pid, "CONT");
    public static void Terminate(int pid) => Send(pid, "TERM");

    private static void Send(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString()]) { RedirectStandardError = true })!;
        if (!kill.WaitForExit(10_000) || kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {kill.StandardError.ReadToEnd()}");
    }
}
