using System.Globalization;
using ReviewBot.Bench.Harness;

namespace ReviewBot.Bench.Scenarios;

/// <param name="Levels">Agent counts to measure at, ascending (0 = the idle app).</param>
/// <param name="Settle">Time at each level (agents heartbeating) before sampling.</param>
public sealed record MemoryOptions(IReadOnlyList<int> Levels, TimeSpan Settle, int Parallel, IReadOnlyDictionary<string, string> AppSettings)
{
    /// <summary>Time between the three samples at each level.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Seconds, to prove the scenario still runs (`--smoke`, the tests): its figures mean nothing.</summary>
    public static MemoryOptions Smoke(IReadOnlyDictionary<string, string>? settings = null) =>
        new([0, 5], TimeSpan.FromSeconds(1), 5, new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["ReviewBot__Agents__HeartbeatInterval"] = "00:00:01" })
        { SampleInterval = TimeSpan.FromMilliseconds(100) };
}

/// <summary>
/// The app's memory with 0, 1,000, 10,000… connected agents, registered and heartbeating: VmRSS from /proc and the
/// managed heap from /metrics, sampled three times after the settle time (the last sample is reported; the peak
/// VmHWM too). No GC is forced: this is what the process holds.
/// </summary>
public static class MemoryScenario
{
    private const long Target = 1L << 30;

    public static async Task<int> RunAsync(MemoryOptions o, BenchStorage storage, CancellationToken ct)
    {
        Report.Header("memory", $"levels {string.Join(", ", o.Levels)} agents, {o.Settle.TotalSeconds:0} s settle per level");
        var needed = o.Levels.Max() + 200;
        if (ProcStatus.OpenFilesLimit() is var limit and > 0 && limit < needed)
            BenchOutput.Out.WriteLine($"warning: open-files limit {limit} < {needed}; raise it (ulimit -n) or connections will fail");
        await using var app = await AppProcess.StartAsync(storage, o.AppSettings);
        BenchOutput.Out.WriteLine($"app pid {app.Pid} at {app.Url}, log {app.LogPath}");
        var counters = new SwarmCounters();
        await using var swarm = new AgentSwarm(app, counters);

        var rows = new List<string>();
        foreach (var level in o.Levels)
        {
            if (level > swarm.Count)
            {
                var took = await swarm.AddAsync(level - swarm.Count, ["linux"], 4, o.Parallel, ct);
                BenchOutput.Out.WriteLine($"{level} agents connected and registered (+{took.TotalSeconds:0.0} s)");
                await Report.WaitForAgentsAsync(app, level, TimeSpan.FromMinutes(2), ct);
            }
            var cpu = CpuWindow.Start(app.Pid, storage.AzuritePid);
            await Task.Delay(o.Settle, ct);
            var used = cpu.Stop();
            Metrics m = null!;
            long rss = 0;
            for (var i = 0; i < 3; i++)
            {
                if (i > 0) await Task.Delay(o.SampleInterval, ct);
                m = await app.ScrapeAsync(ct);
                rss = app.RssBytes();
            }
            var hwm = ProcStatus.VmHwmBytes(app.Pid);
            var benchRss = ProcStatus.VmRssBytes(Environment.ProcessId);
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {level,6} | {m["reviewbot_agents_connected"],6} | {Format.MiB(rss),11} | {Format.MiB(m["dotnet_gc_heap_bytes"]),11} | {Format.MiB(hwm),11} | {Format.MiB(benchRss),11} | " +
                $"{used.App / used.Window:P0} / {used.Azurite / used.Window:P0} |");
            rows.Add(row);
            BenchOutput.Out.WriteLine(row);
            if (level == o.Levels.Max())
                BenchOutput.Out.WriteLine($"TARGET RSS ≤ 1 GiB at {level} agents: {(rss <= Target ? "MET" : "NOT MET")} ({Format.MiB(rss)})");
        }
        BenchOutput.Out.WriteLine();
        BenchOutput.Out.WriteLine("| agents | online | app VmRSS   | GC heap     | app VmHWM   | bench RSS   | CPU app / Azurite (of one core, settle window) |");
        BenchOutput.Out.WriteLine("|-------:|-------:|------------:|------------:|------------:|------------:|-----------------------------------------------:|");
        foreach (var r in rows) BenchOutput.Out.WriteLine(r);
        BenchOutput.Out.WriteLine($"agents: {counters}");
        return 0;
    }
}
