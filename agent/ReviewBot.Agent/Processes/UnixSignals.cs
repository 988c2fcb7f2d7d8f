using System.Runtime.InteropServices;

namespace ReviewBot.Agent.Processes;

/// <summary>kill(2) for process groups, which <see cref="System.Diagnostics.Process"/> cannot signal.</summary>
internal static class UnixSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>
    /// Signals the process group led by <paramref name="processId"/>. Safe when the group is gone:
    /// Linux does not reuse a pid while a group of that id exists, so the id names our group or nothing.
    /// </summary>
    public static void SignalGroup(int processId, int signal)
    {
        if (!OperatingSystem.IsWindows() && processId > 0)
        {
            _ = kill(-processId, signal);
        }
    }

    public static void Signal(int processId, int signal)
    {
        if (!OperatingSystem.IsWindows() && processId > 0)
        {
            _ = kill(processId, signal);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
