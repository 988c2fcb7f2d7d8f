using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ReviewBot.Bench.Harness;

namespace ReviewBot.Bench.Scenarios;

/// <param name="Agents">Connected agents (labels ["linux"]).</param>
/// <param name="Rate">Webhooks per second.</param>
/// <param name="Duration">Measured sending time.</param>
/// <param name="Complete">Agents complete each task after accepting it; false leaves every task running (capacity must suffice).</param>
/// <param name="Warmup">Sending time before the measurement (JIT, connection pools, Azurite tables), discarded.</param>
public sealed record LatencyOptions(int Agents, int Capacity, double Rate, TimeSpan Duration, TimeSpan Warmup, int Parallel, bool Probe, bool Complete, IReadOnlyDictionary<string, string> AppSettings)
{
    /// <summary>How long to wait for the last assignments after the last webhook. A delivery's task that the next
    /// delivery superseded (same pull request, new head) before it was placed is never assigned.</summary>
    public TimeSpan AssignWait { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Run the measurement twice, the app's telemetry off (<c>ReviewBot__Telemetry__Enabled=false</c>) then on,
    /// and print the p50 overhead. Both runs skip what only one of them could do (scraping <c>/metrics</c>: the flush
    /// watcher, the counters) and the storage probe, so they differ in the telemetry alone.</summary>
    public bool CompareTelemetry { get; init; }

    /// <summary>Seconds, to prove the scenario still runs (`--smoke`, the tests): its figures mean nothing.</summary>
    public static LatencyOptions Smoke(IReadOnlyDictionary<string, string>? settings = null) =>
        new(5, 4, 2, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 5, true, true, settings ?? new Dictionary<string, string>())
        { AssignWait = TimeSpan.FromSeconds(5) };
}

/// <summary>
/// Placement latency end to end: a signed webhook is sent, the app stores the task and routes it, an agent receives
/// AssignTask. Both ends are timed in this process with one clock. Every agent accepts and completes each task at
/// once, so capacity is freed as in a steady system.
/// </summary>
public static class LatencyScenario
{
    public const string TelemetrySetting = "ReviewBot__Telemetry__Enabled";

    public static async Task<int> RunAsync(LatencyOptions o, BenchStorage storage, CancellationToken ct)
    {
        if (!o.CompareTelemetry) return (await MeasureAsync(o, storage, scrape: true, ct)).Code;
        var runs = new List<(string Mode, Distribution Latency)>();
        foreach (var on in new[] { false, true })
        {
            var settings = new Dictionary<string, string>(o.AppSettings) { [TelemetrySetting] = on ? "true" : "false" };
            var (code, latency) = await MeasureAsync(o with { AppSettings = settings, Probe = false }, storage, scrape: false, ct);
            if (code != 0) return code;
            runs.Add((on ? "on" : "off", latency));
        }
        var (off, onRun) = (runs[0].Latency, runs[1].Latency);
        BenchOutput.Out.WriteLine("telemetry | webhook sent → assignment received (ms)");
        foreach (var (mode, latency) in runs) BenchOutput.Out.WriteLine($"{mode,-9} | {latency}");
        var overhead = off.P50 > 0 ? (onRun.P50 - off.P50) / off.P50 * 100 : 0;
        BenchOutput.Out.WriteLine($"TARGET p50 overhead of telemetry ≤ 5 %: {(overhead <= 5 ? "MET" : "NOT MET")} (p50 off {off.P50:0.0} ms, on {onRun.P50:0.0} ms: {overhead:+0.0;-0.0;0.0} %)");
        return 0;
    }

    /// <param name="scrape">Read the app's /metrics (when its telemetry is on): the flush watcher and the counters.</param>
    private static async Task<(int Code, Distribution SentToAssigned)> MeasureAsync(LatencyOptions o, BenchStorage storage, bool scrape, CancellationToken ct)
    {
        Report.Header("latency", $"{o.Agents} agents (linux, capacity {o.Capacity}), {o.Rate}/s for {o.Duration.TotalSeconds:0} s after {o.Warmup.TotalSeconds:0} s warm-up" +
            (o.Complete ? "" : ", agents accept but never complete"));
        await using var app = await AppProcess.StartAsync(storage, o.AppSettings);
        if (o.AppSettings.Count > 0) BenchOutput.Out.WriteLine($"app settings: {string.Join(", ", o.AppSettings.Select(kv => $"{kv.Key}={kv.Value}"))}");
        BenchOutput.Out.WriteLine($"app pid {app.Pid} at {app.Url}, log {app.LogPath}");

        var bySha = new ConcurrentDictionary<string, Delivery>(StringComparer.Ordinal);
        var unknown = 0L;
        void Observe(ReviewBot.Contracts.Agents.TaskAssignment a, long at)
        {
            if (bySha.TryGetValue(a.Source.HeadSha, out var d)) Interlocked.CompareExchange(ref d.AssignedAt, at, 0);
            else Interlocked.Increment(ref unknown);
        }
        var counters = new SwarmCounters();
        await using var swarm = new AgentSwarm(app, counters, Observe, o.Complete);
        var took = await swarm.AddAsync(o.Agents, ["linux"], o.Capacity, o.Parallel, ct);
        BenchOutput.Out.WriteLine($"{o.Agents} agents connected and registered in {took.TotalSeconds:0.0} s");
        await Report.WaitForAgentsAsync(app, o.Agents, TimeSpan.FromSeconds(60), ct);

        using var sender = new WebhookSender(app.Url);
        BenchOutput.Out.WriteLine("warm-up…");
        var warm = await sender.SendSteadyAsync((int)(o.Rate * o.Warmup.TotalSeconds), o.Rate, d => bySha[d.HeadSha] = d, ct);
        await WaitAssignedAsync(warm, o.AssignWait, ct);

        using var probeStop = new CancellationTokenSource();
        var probe = o.Probe ? StorageProbe.RunAsync(storage.ConnectionString, storage.PrefixBase + "probe", 10, probeStop.Token) : Task.FromResult<StorageProbe.Result?>(null);
        scrape &= app.TelemetryOn;
        var flushes = scrape ? FlushWatcher.RunAsync(app, TimeSpan.FromMilliseconds(200), probeStop.Token) : Task.FromResult(FlushWatcher.None);
        var cpu = CpuWindow.Start(app.Pid, storage.AzuritePid);
        var before = scrape ? await app.ScrapeAsync(ct) : null;
        BenchOutput.Out.WriteLine("measuring…");
        var sent = await sender.SendSteadyAsync((int)(o.Rate * o.Duration.TotalSeconds), o.Rate, d => bySha[d.HeadSha] = d, ct);
        await WaitAssignedAsync(sent, o.AssignWait, ct);
        var cpuUsed = cpu.Stop();
        await probeStop.CancelAsync();
        var probed = await probe;
        var flushed = await flushes;
        await Task.Delay(TimeSpan.FromSeconds(1), ct); // let the last completions land before reading the counters
        var after = scrape ? await app.ScrapeAsync(ct) : null;

        var ok = sent.Where(d => d.Status == HttpStatusCode.Accepted).ToList();
        var assigned = ok.Where(d => d.AssignedAt != 0).ToList();
        var sentToAssigned = Distribution.Of([.. assigned.Select(d => Delivery.Ms(d.SentAt, d.AssignedAt))]);
        var answeredToAssigned = Distribution.Of([.. assigned.Select(d => Delivery.Ms(d.AnsweredAt, d.AssignedAt))]);
        var sentToAnswered = Distribution.Of([.. ok.Select(d => Delivery.Ms(d.SentAt, d.AnsweredAt))]);
        var assignedBeforeAnswer = assigned.Count(d => d.AssignedAt < d.AnsweredAt);

        BenchOutput.Out.WriteLine();
        BenchOutput.Out.WriteLine($"deliveries sent {sent.Count}, answered 202: {ok.Count}, other: {string.Join(", ", sent.Where(d => d.Status != HttpStatusCode.Accepted).GroupBy(d => (int)d.Status).Select(g => $"{g.Key}×{g.Count()}"))}");
        BenchOutput.Out.WriteLine($"assignments received {assigned.Count} of {ok.Count}; {assignedBeforeAnswer} arrived before the 202; assignments for unknown SHAs {unknown}");
        BenchOutput.Out.WriteLine($"webhook sent → assignment received : {sentToAssigned}");
        BenchOutput.Out.WriteLine($"202 received → assignment received : {answeredToAssigned}");
        BenchOutput.Out.WriteLine($"webhook sent → 202 received        : {sentToAnswered}");
        var duringFlush = assigned.Where(d => flushed.Overlaps(d.SentAt, d.AssignedAt)).ToList();
        BenchOutput.Out.WriteLine($"last-ping flushes seen: {flushed.Flushes.Count} (lasting {string.Join(", ", flushed.Flushes.Select(f => $"≤{Delivery.Ms(f.From, f.To):0} ms"))})");
        BenchOutput.Out.WriteLine($"  sent → assigned, in flight during a flush: {Distribution.Of([.. duringFlush.Select(d => Delivery.Ms(d.SentAt, d.AssignedAt))])}");
        BenchOutput.Out.WriteLine($"  sent → assigned, the others               : {Distribution.Of([.. assigned.Except(duringFlush).Select(d => Delivery.Ms(d.SentAt, d.AssignedAt))])}");
        if (probed is { } p)
        {
            BenchOutput.Out.WriteLine($"storage probe, read (GET entity)    : {p.Read}");
            BenchOutput.Out.WriteLine($"storage probe, write (PUT If-Match) : {p.Write}");
        }
        BenchOutput.Out.WriteLine($"CPU used during the measured window ({cpuUsed.Window.TotalSeconds:0.0} s, {Environment.ProcessorCount} cores): app {cpuUsed.App.TotalSeconds:0.00} s, " +
            $"Azurite {cpuUsed.Azurite.TotalSeconds:0.00} s, bench {cpuUsed.Bench.TotalSeconds:0.00} s, rest of the machine {cpuUsed.Others.TotalSeconds:0.00} s");
        if (before is not null && after is not null)
        {
            BenchOutput.Out.WriteLine($"app GC pauses during the window: {(after["dotnet_gc_pause_seconds_total"] - before["dotnet_gc_pause_seconds_total"]) * 1000:0} ms in total");
            var byTable = after.By("reviewbot_storage_transactions_total", "resource");
            var beforeByTable = before.By("reviewbot_storage_transactions_total", "resource");
            BenchOutput.Out.WriteLine("app storage transactions during the window, by table or container: " + string.Join(", ",
                byTable.Select(kv => (kv.Key, N: kv.Value - beforeByTable.GetValueOrDefault(kv.Key))).Where(t => t.N > 0).OrderByDescending(t => t.N)
                    .Select(t => $"{t.Key} {t.N:0} ({t.N / cpuUsed.Window.TotalSeconds:0.0}/s)")));
            BenchOutput.Out.WriteLine($"app: tasks queued now {after["reviewbot_tasks_queued"]}, results refused +{after.Sum("reviewbot_results_refused_total") - before.Sum("reviewbot_results_refused_total")}, RSS {Format.MiB(app.RssBytes())}");
        }
        else BenchOutput.Out.WriteLine($"app: /metrics not read (telemetry {(app.TelemetryOn ? "on" : "off")}), RSS {Format.MiB(app.RssBytes())}");
        BenchOutput.Out.WriteLine($"agents: {counters}");
        BenchOutput.Out.WriteLine();
        var met = sentToAssigned.Count == ok.Count && sentToAssigned.P99 <= 25;
        BenchOutput.Out.WriteLine($"TARGET p99(webhook sent → assignment) ≤ 25 ms: {(met ? "MET" : "NOT MET")} (p99 = {sentToAssigned.P99:0.0} ms{(sentToAssigned.Count < ok.Count ? $"; {ok.Count - sentToAssigned.Count} never assigned" : "")})");
        return (ok.Count > 0 && assigned.Count > 0 ? 0 : 1, sentToAssigned); // nothing answered or nothing placed: the scenario is broken, not slow
    }

    private static async Task WaitAssignedAsync(IReadOnlyList<Delivery> deliveries, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (deliveries.Any(d => d.Status == HttpStatusCode.Accepted && Volatile.Read(ref d.AssignedAt) == 0) && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(50, ct); // assignments arrive on SignalR threads; polling the records is simplest here
    }
}
