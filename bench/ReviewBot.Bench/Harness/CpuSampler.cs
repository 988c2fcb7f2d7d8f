using System.Diagnostics;
using System.Globalization;

namespace ReviewBot.Bench.Harness;

/// <summary>CPU time (user + system) a process used, from /proc/PID/stat; differences tell who used the cores during a window.</summary>
public static class CpuSampler
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may contain spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture); // field 14 of the whole line
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture); // field 15
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }

    /// <summary>Busy time of all cores together (everything but idle and iowait), from the first line of /proc/stat.</summary>
    public static TimeSpan MachineBusyTime()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cpu user nice system idle iowait irq softirq steal …
        long Field(int i) => long.Parse(cpu[i], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / TicksPerSecond);
    }

    /// <summary>CPU time of a process and all its live descendants (Azurite runs under a shell wrapper and node).</summary>
    public static TimeSpan TreeCpuTime(int pid)
    {
        var total = TimeSpan.Zero;
        var pending = new Stack<int>([pid]);
        while (pending.TryPop(out var p))
        {
            try { total += CpuTime(p); } catch (IOException) { continue; }
            var children = $"/proc/{p}/task/{p}/children";
            if (!File.Exists(children)) continue;
            foreach (var c in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                pending.Push(int.Parse(c, CultureInfo.InvariantCulture));
        }
        return total;
    }
}

/// <summary>CPU used by the app, Azurite and this process over a window.</summary>
public sealed class CpuWindow
{
    private readonly int _app, _azurite;
    private readonly TimeSpan _app0, _azurite0, _bench0, _machine0;
    private readonly long _start = Stopwatch.GetTimestamp();

    private CpuWindow(int app, int azurite)
    {
        (_app, _azurite) = (app, azurite);
        (_app0, _azurite0, _bench0, _machine0) = (CpuSampler.TreeCpuTime(app), CpuSampler.TreeCpuTime(azurite),
            CpuSampler.CpuTime(Environment.ProcessId), CpuSampler.MachineBusyTime());
    }

    public static CpuWindow Start(int app, int azurite) => new(app, azurite);

    /// <summary>CPU time per process over the window; Others = the whole machine's busy time minus ours (neighbours on shared cores).</summary>
    public (TimeSpan Window, TimeSpan App, TimeSpan Azurite, TimeSpan Bench, TimeSpan Others) Stop()
    {
        var (app, azurite, bench) = (CpuSampler.TreeCpuTime(_app) - _app0, CpuSampler.TreeCpuTime(_azurite) - _azurite0,
            CpuSampler.CpuTime(Environment.ProcessId) - _bench0);
        var machine = CpuSampler.MachineBusyTime() - _machine0;
        return (Stopwatch.GetElapsedTime(_start), app, azurite, bench, machine - app - azurite - bench);
    }
}
