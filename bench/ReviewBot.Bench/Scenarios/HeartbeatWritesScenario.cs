using System.Globalization;
using ReviewBot.Bench.Harness;

namespace ReviewBot.Bench.Scenarios;

/// <param name="HeartbeatInterval">Set on the app (ReviewBot__Agents__HeartbeatInterval); agents use what Register returns.</param>
/// <param name="FlushInterval">ReviewBot__Agents__LastPingFlushInterval.</param>
public sealed record HeartbeatWritesOptions(int Agents, TimeSpan HeartbeatInterval, TimeSpan FlushInterval, TimeSpan Duration, int Parallel)
{
    /// <summary>Seconds, to prove the scenario still runs (`--smoke`, the tests): its figures mean nothing.</summary>
    public static HeartbeatWritesOptions Smoke() => new(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 5);
}

/// <summary>
/// Last-ping Table transactions per heartbeat received, over a steady window (after the first flush): the two
/// counters of /metrics, differenced. Heartbeats are counted by the app, not by the agents.
/// </summary>
public static class HeartbeatWritesScenario
{
    private const double Target = 0.05;

    public static async Task<int> RunAsync(HeartbeatWritesOptions o, BenchStorage storage, CancellationToken ct)
    {
        Report.Header("heartbeat-writes", $"{o.Agents} agents, heartbeat {o.HeartbeatInterval}, last-ping flush {o.FlushInterval}, window {o.Duration.TotalSeconds:0} s");
        await using var app = await AppProcess.StartAsync(storage, new Dictionary<string, string>
        {
            ["ReviewBot__Agents__HeartbeatInterval"] = o.HeartbeatInterval.ToString("c", CultureInfo.InvariantCulture),
            ["ReviewBot__Agents__LastPingFlushInterval"] = o.FlushInterval.ToString("c", CultureInfo.InvariantCulture),
        });
        BenchOutput.Out.WriteLine($"app pid {app.Pid} at {app.Url}, log {app.LogPath}");
        var counters = new SwarmCounters();
        await using var swarm = new AgentSwarm(app, counters);
        var took = await swarm.AddAsync(o.Agents, ["linux"], 4, o.Parallel, ct);
        BenchOutput.Out.WriteLine($"{o.Agents} agents connected in {took.TotalSeconds:0.0} s; server heartbeat interval {swarm.HeartbeatInterval}");
        await Report.WaitForAgentsAsync(app, o.Agents, TimeSpan.FromMinutes(1), ct);

        // Steady state: every agent has heartbeated and at least one flush has happened.
        await Task.Delay(o.FlushInterval + o.HeartbeatInterval, ct);
        var before = await app.ScrapeAsync(ct);
        await Task.Delay(o.Duration, ct);
        var after = await app.ScrapeAsync(ct);

        var heartbeats = after["reviewbot_heartbeats_total"] - before["reviewbot_heartbeats_total"];
        var transactions = after["reviewbot_lastping_table_transactions_total"] - before["reviewbot_lastping_table_transactions_total"];
        var expected = o.Agents * o.Duration.TotalSeconds / o.HeartbeatInterval.TotalSeconds;
        var ratio = heartbeats == 0 ? double.NaN : transactions / heartbeats;
        BenchOutput.Out.WriteLine();
        BenchOutput.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"heartbeats received {heartbeats:0} in {o.Duration.TotalSeconds:0} s (expected ≈ {expected:0}), last-ping transactions {transactions:0} ({transactions * o.FlushInterval.TotalSeconds / o.Duration.TotalSeconds:0.0} per flush of {o.FlushInterval.TotalSeconds:0} s)"));
        BenchOutput.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transactions per heartbeat: {ratio:0.0000}"));
        BenchOutput.Out.WriteLine($"agents: {counters}");
        BenchOutput.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"TARGET ≤ {Target} transactions per heartbeat: {(ratio <= Target ? "MET" : "NOT MET")} ({ratio:0.0000})"));
        return heartbeats > 0 ? 0 : 1; // no heartbeat counted: the scenario is broken
    }
}
