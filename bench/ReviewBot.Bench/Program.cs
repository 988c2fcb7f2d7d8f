using System.CommandLine;
using System.Globalization;
using BenchmarkDotNet.Running;
using ReviewBot.Bench.Harness;
using ReviewBot.Bench.Micro;
using ReviewBot.Bench.Scenarios;
using ReviewBot.Bench.Scenarios.PrCost;
using ReviewBot.Bench.Scenarios.StorageScale;

namespace ReviewBot.Bench;

/// <summary>
/// ReviewBot's benchmarks. Scenarios start Azurite and the app as separate processes and drive them with real
/// SignalR agents and signed webhooks (see bench/README.md); `micro` runs the BenchmarkDotNet micro-benchmarks.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("ReviewBot benchmarks: latency, memory, heartbeat-writes, report-writes, log-latency, storage-scale, pr-cost (custom harness), micro (BenchmarkDotNet).");
        root.Subcommands.Add(Latency());
        root.Subcommands.Add(Memory());
        root.Subcommands.Add(HeartbeatWrites());
        root.Subcommands.Add(ReportWrites());
        root.Subcommands.Add(LogLatency());
        root.Subcommands.Add(StorageScale());
        root.Subcommands.Add(PrCost());
        root.Subcommands.Add(Micro());
        return await root.Parse(args).InvokeAsync();
    }

    private static Option<T> Opt<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Option<bool> SmokeOption() =>
        new("--smoke") { Description = "Seconds with tiny sizes, to check the scenario still runs (the tests do this); other options are ignored and the figures mean nothing." };

    /// <summary>Runs a scenario on a fresh Azurite of its own.</summary>
    private static async Task<int> OnAzuriteAsync(Func<BenchStorage, Task<int>> scenario)
    {
        await using var storage = await BenchStorage.StartAzuriteAsync();
        return await scenario(storage);
    }

    private static Option<int> ParallelOption() => Opt("--parallel", "Agents connecting at once.", 100);

    /// <summary>Extra app settings for experiments, e.g. --set ReviewBot__Agents__LastPingFlushInterval=01:00:00.</summary>
    private static Option<string[]> SetOption() =>
        new("--set") { Description = "Extra app setting as an environment variable NAME=VALUE (repeatable).", DefaultValueFactory = _ => [] };

    private static Dictionary<string, string> Settings(ParseResult r, Option<string[]> set) =>
        r.GetValue(set)!.Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

    private static Command Latency()
    {
        var agents = Opt("--agents", "Connected agents (labels linux).", 1000);
        var capacity = Opt("--capacity", "Capacity of each agent.", 4);
        var rate = Opt("--rate", "Webhooks per second.", 20.0);
        var duration = Opt("--duration", "Measured seconds of sending.", 30);
        var warmup = Opt("--warmup", "Seconds of sending before measuring (discarded); tiered JIT is still compiling for ~30 s of load.", 30);
        var parallel = ParallelOption();
        var probe = Opt("--probe", "Time Azurite GET/PUT round trips (10/s) during the measurement.", true);
        var complete = Opt("--complete", "Agents complete each task right after accepting it (false: they accept only, so the app makes 4 fewer storage calls per task).", true);
        var telemetry = Opt("--compare-telemetry", "Measure twice, the app's telemetry off then on (ReviewBot__Telemetry__Enabled), and print the p50 overhead.", false);
        var set = SetOption();
        var smoke = SmokeOption();
        var command = new Command("latency", "Webhook sent → AssignTask received, with N agents and a steady webhook rate.")
            { agents, capacity, rate, duration, warmup, parallel, probe, complete, telemetry, set, smoke };
        command.SetAction((r, ct) => OnAzuriteAsync(storage => LatencyScenario.RunAsync((r.GetValue(smoke) ? LatencyOptions.Smoke(Settings(r, set)) :
            new LatencyOptions(r.GetValue(agents), r.GetValue(capacity), r.GetValue(rate),
            TimeSpan.FromSeconds(r.GetValue(duration)), TimeSpan.FromSeconds(r.GetValue(warmup)), r.GetValue(parallel), r.GetValue(probe),
            r.GetValue(complete), Settings(r, set))) with { CompareTelemetry = r.GetValue(telemetry) }, storage, ct)));
        return command;
    }

    private static Command Memory()
    {
        var levels = Opt("--levels", "Agent counts to measure at, comma-separated.", "0,1000,10000");
        var settle = Opt("--settle", "Seconds at each level before sampling.", 20);
        var heartbeat = Opt("--heartbeat", "Heartbeat interval the app gives agents (hh:mm:ss).", "00:00:10");
        var parallel = ParallelOption();
        var set = SetOption();
        var smoke = SmokeOption();
        var command = new Command("memory", "App RSS and GC heap with 0, 1,000 and 10,000 connected, heartbeating agents.") { levels, settle, heartbeat, parallel, set, smoke };
        command.SetAction((r, ct) =>
        {
            var settings = Settings(r, set);
            if (r.GetValue(smoke)) return OnAzuriteAsync(storage => MemoryScenario.RunAsync(MemoryOptions.Smoke(settings), storage, ct));
            settings["ReviewBot__Agents__HeartbeatInterval"] = r.GetValue(heartbeat)!;
            return OnAzuriteAsync(storage => MemoryScenario.RunAsync(new MemoryOptions(
                [.. r.GetValue(levels)!.Split(',').Select(s => int.Parse(s.Trim(), CultureInfo.InvariantCulture)).Order()],
                TimeSpan.FromSeconds(r.GetValue(settle)), r.GetValue(parallel), settings), storage, ct));
        });
        return command;
    }

    private static Command HeartbeatWrites()
    {
        var agents = Opt("--agents", "Connected agents.", 1000);
        var heartbeat = Opt("--heartbeat", "Heartbeat interval (hh:mm:ss).", "00:00:02");
        var flush = Opt("--flush", "Last-ping flush interval (hh:mm:ss).", "00:00:10");
        var duration = Opt("--duration", "Measured seconds.", 60);
        var parallel = ParallelOption();
        var smoke = SmokeOption();
        var command = new Command("heartbeat-writes", "Last-ping Table transactions per heartbeat received.") { agents, heartbeat, flush, duration, parallel, smoke };
        command.SetAction((r, ct) => OnAzuriteAsync(storage => HeartbeatWritesScenario.RunAsync(r.GetValue(smoke) ? HeartbeatWritesOptions.Smoke() :
            new HeartbeatWritesOptions(r.GetValue(agents),
            TimeSpan.Parse(r.GetValue(heartbeat)!, CultureInfo.InvariantCulture), TimeSpan.Parse(r.GetValue(flush)!, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(r.GetValue(duration)), r.GetValue(parallel)), storage, ct)));
        return command;
    }

    private static Command ReportWrites()
    {
        var sizes = Opt("--sizes", "Findings per run (n), comma-separated.", "0,1,10,29,30,31,50,100,300,1000");
        var maxComments = Opt("--max-comments", "Most line comments per run (ReviewBot:Reporting:MaxComments) for the main rows: large, so every finding is commented.", 3000);
        var overflow = Opt("--overflow", "n of one more row with the default max comments (300); 0 for none.", 1000);
        var paced = Opt("--paced", "n of one more row with the default write spacing (1 s) instead of 0; 0 for none.", 100);
        var push = Opt("--push-sizes", "n of the second-push rows, comma-separated (\"\" for none). Above 100 the deletes alone exceed the fake's 80 content writes a minute at spacing 0, and the run waits out the limit.", "0,1,10,29,30,31,50,100");
        var smoke = SmokeOption();
        var command = new Command("report-writes", "GitHub write requests to report one linter run with n findings on a pull request (in-process, fake GitHub).")
            { sizes, maxComments, overflow, paced, push, smoke };
        command.SetAction((r, ct) => ReportWritesScenario.RunAsync(r.GetValue(smoke) ? ReportWritesOptions.Smoke() :
            new ReportWritesOptions(Ints(r.GetValue(sizes)!), r.GetValue(maxComments),
            r.GetValue(overflow), r.GetValue(paced), Ints(r.GetValue(push)!)), ct));
        return command;
    }

    private static Command LogLatency()
    {
        var lines = Opt("--lines", "Measured lines per mode.", 1000);
        var warmup = Opt("--warmup", "Lines sent before measuring (discarded).", 200);
        var interval = Opt("--interval", "Milliseconds between two lines.", 20);
        var batch = Opt("--batch", "The agent's batching interval in ms for the batched mode (LogStreamer: 250).", 250);
        var megabytes = Opt("--megabytes", "MB pushed in 32 KiB chunks to measure CPU per MB.", 50);
        var set = SetOption();
        var smoke = SmokeOption();
        var command = new Command("log-latency", "Log line printed → LogAppended in a dashboard client, p50/p95/p99; app CPU per MB of log streamed.")
            { lines, warmup, interval, batch, megabytes, set, smoke };
        command.SetAction((r, ct) => OnAzuriteAsync(storage => LogLatencyScenario.RunAsync(r.GetValue(smoke) ? LogLatencyOptions.Smoke(Settings(r, set)) :
            new LogLatencyOptions(r.GetValue(lines), r.GetValue(warmup),
            TimeSpan.FromMilliseconds(r.GetValue(interval)), TimeSpan.FromMilliseconds(r.GetValue(batch)), r.GetValue(megabytes), Settings(r, set)), storage, ct)));
        return command;
    }

    private static Command StorageScale()
    {
        var sizes = Opt("--sizes", "Finished tasks stored at each measurement, comma-separated.", "0,10000,100000");
        var requests = Opt("--requests", "Webhooks, then GET /api/tasks, at each size.", 30);
        var queued = Opt("--queued", "Queued tasks added before the restart that times the dispatcher's recovery.", 1000);
        var parallel = Opt("--fill-parallel", "Inserts in flight while filling.", 32);
        var cap = Opt("--phase-cap", "Seconds a fill or a series of requests may take before it is cut short.", 900);
        var set = SetOption();
        var smoke = SmokeOption();
        var command = new Command("storage-scale", "Webhook and GET /api/tasks p50/p99 at 0, 10,000 and 100,000 stored tasks; the dispatcher's start-up with 100,000 finished and 1,000 queued.")
            { sizes, requests, queued, parallel, cap, set, smoke };
        command.SetAction((r, ct) => OnAzuriteAsync(storage => StorageScaleScenario.RunAsync(r.GetValue(smoke) ? StorageScaleOptions.Smoke() :
            new StorageScaleOptions([.. Ints(r.GetValue(sizes)!).Order()], r.GetValue(requests), r.GetValue(queued), r.GetValue(parallel),
                TimeSpan.FromSeconds(r.GetValue(cap)), Settings(r, set)), storage, ct)));
        return command;
    }

    private static Command PrCost()
    {
        var findings = Opt("--findings", "Findings the agent reports.", 3);
        var set = SetOption();
        var smoke = SmokeOption();
        var command = new Command("pr-cost", "Storage transactions one pull request costs end to end (webhook → task → agent → result → report on the fake GitHub), by table and operation.")
            { findings, set, smoke };
        command.SetAction((r, ct) => OnAzuriteAsync(storage => PrCostScenario.RunAsync(r.GetValue(smoke) ? PrCostOptions.Smoke() :
            new PrCostOptions(r.GetValue(findings), Settings(r, set).ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => kv.Value)), storage, ct)));
        return command;
    }

    private static int[] Ints(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private static Command Micro()
    {
        var command = new Command("micro", "BenchmarkDotNet micro-benchmarks (label filters, AgentSelector.Rank over 1,000); other arguments go to BenchmarkDotNet, e.g. --filter '*'.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var smoke = SmokeOption();
        command.Options.Add(smoke);
        command.SetAction(r =>
        {
            if (r.GetValue(smoke)) return MicroSmoke.Run();
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. r.UnmatchedTokens]);
            return 0;
        });
        return command;
    }
}
