using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ReviewBot.Bench.Harness;

namespace ReviewBot.Bench.Scenarios.StorageScale;

/// <param name="Sizes">Finished tasks stored at each measurement, ascending (the table is filled up to each in turn).</param>
/// <param name="Requests">Webhooks, then GET /api/tasks, sent one after another at each size.</param>
/// <param name="Queued">Queued tasks added after the last size, before the app is restarted to time its dispatcher's recovery.</param>
/// <param name="FillParallel">Inserts in flight while filling.</param>
/// <param name="PhaseCap">Longest a fill or a series of requests may take; a phase cut short reports what it got.</param>
public sealed record StorageScaleOptions(IReadOnlyList<int> Sizes, int Requests, int Queued, int FillParallel, TimeSpan PhaseCap, IReadOnlyDictionary<string, string> AppSettings)
{
    /// <summary>Seconds, to prove the scenario still runs (`--smoke`, the tests): its figures mean nothing.</summary>
    public static StorageScaleOptions Smoke() => new([0, 200], 2, 20, 16, TimeSpan.FromSeconds(20), new Dictionary<string, string>());
}

/// <summary>
/// How the app's answers grow with the history it stores: at 0, 10,000 and 100,000 finished tasks (written through
/// the app's own store by <see cref="TaskFill"/>), a signed `pull_request` webhook's answer time (the ingest path,
/// including the new-push supersede of the pull request's active tasks) and `GET /api/tasks`' first page, each sent
/// one at a time; then, with 1,000 queued tasks added, the time a restarted app takes until its dispatcher has
/// recovered them (reviewbot_tasks_queued on /metrics). No agent is connected: tasks stay where they are.
/// Target (issue 14): the 100,000 figures within 1.2× of the empty table's; the recovery under 2 s.
/// </summary>
public static class StorageScaleScenario
{
    public static async Task<int> RunAsync(StorageScaleOptions o, BenchStorage storage, CancellationToken ct)
    {
        Report.Header("storage-scale", $"finished tasks {string.Join(", ", o.Sizes)}; {o.Requests} webhooks and {o.Requests} GET /api/tasks at each; then +{o.Queued} queued and a restart");
        var prefix = storage.NewPrefix();
        var fill = await TaskFill.OpenAsync(storage.ConnectionString, prefix, o.FillParallel, ct);
        var app = await AppProcess.StartAsync(storage, o.AppSettings, prefix);
        try
        {
            BenchOutput.Out.WriteLine($"app pid {app.Pid} at {app.Url}, log {app.LogPath}, prefix {prefix}");
            using var sender = new WebhookSender(app.Url);
            await WebhooksAsync(sender, 3, Deadline(o.PhaseCap), ct); // JIT, connection pools, tables
            await ListsAsync(app, 3, Deadline(o.PhaseCap), ct);

            var rows = new List<string>();
            Distribution? firstHook = null, firstList = null, lastHook = null, lastList = null;
            foreach (var size in o.Sizes)
            {
                var took = await fill.FinishedUpToAsync(size, Deadline(o.PhaseCap), ct);
                if (took > TimeSpan.Zero)
                    BenchOutput.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled to {fill.Count} finished tasks in {took.TotalSeconds:0.0} s"));
                if (fill.Count < size) BenchOutput.Out.WriteLine($"fill cut at {fill.Count} of {size} after {o.PhaseCap.TotalSeconds:0} s");
                var load = Load();
                var before = await app.ScrapeAsync(ct);
                var hooks = await WebhooksAsync(sender, o.Requests, Deadline(o.PhaseCap), ct);
                var between = await app.ScrapeAsync(ct);
                var (lists, returned) = await ListsAsync(app, o.Requests, Deadline(o.PhaseCap), ct);
                var after = await app.ScrapeAsync(ct);
                firstHook ??= hooks;
                firstList ??= lists;
                (lastHook, lastList) = (hooks, lists);
                var row = string.Create(CultureInfo.InvariantCulture,
                    $"| {fill.Count:N0} | {hooks.Count} | {hooks.P50:0.0} / {hooks.P99:0.0} / {hooks.Max:0.0} | {PerRequest(before, between, hooks.Count)} | {lists.Count} | {lists.P50:0.0} / {lists.P99:0.0} / {lists.Max:0.0} | {PerRequest(between, after, lists.Count)} | {returned} | {load} |");
                rows.Add(row);
                BenchOutput.Out.WriteLine(row);
            }

            var queuedTook = await fill.QueuedAsync(o.Queued, Deadline(o.PhaseCap), ct);
            BenchOutput.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"added {o.Queued} queued tasks in {queuedTook.TotalSeconds:0.0} s; restarting the app"));
            await app.DisposeAsync();
            var loadAtStart = Load();
            app = await AppProcess.StartAsync(storage, o.AppSettings, prefix);
            var listening = Stopwatch.GetElapsedTime(app.StartedAt);
            var (recovered, seen) = await RecoveredAsync(app, o.Queued, Deadline(o.PhaseCap), ct);

            BenchOutput.Out.WriteLine();
            BenchOutput.Out.WriteLine("| finished tasks stored | webhooks | webhook sent → answered p50 / p99 / max (ms) | storage per webhook: transactions / entities read | GETs | GET /api/tasks first page p50 / p99 / max (ms) | storage per GET: transactions / entities read | tasks in the page | load (1/5/15 min) |");
            BenchOutput.Out.WriteLine("|---:|---:|---|---|---:|---|---|---:|---|");
            foreach (var r in rows) BenchOutput.Out.WriteLine(r);
            BenchOutput.Out.WriteLine();
            BenchOutput.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"restart with {fill.Count - o.Queued:N0} finished and {o.Queued:N0} queued tasks (load {loadAtStart}): process start → /api/health answered {listening.TotalMilliseconds:0} ms; " +
                $"process start → dispatcher holds the queued tasks {(recovered is { } r2 ? $"{r2.TotalMilliseconds:0} ms" : $"NOT within {o.PhaseCap.TotalSeconds:0} s")} (reviewbot_tasks_queued {seen})"));
            if (firstHook is not null && lastHook is not null && firstList is not null && lastList is not null)
                BenchOutput.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"largest / empty: webhook p50 {lastHook.P50 / firstHook.P50:0.00}×, p99 {lastHook.P99 / firstHook.P99:0.00}×; GET /api/tasks p50 {lastList.P50 / firstList.P50:0.00}×, p99 {lastList.P99 / firstList.P99:0.00}×"));
            var met = lastHook is not null && firstHook is not null && lastList is not null && firstList is not null
                && lastHook.P99 <= 1.2 * firstHook.P99 && lastList.P99 <= 1.2 * firstList.P99 && recovered < TimeSpan.FromSeconds(2);
            BenchOutput.Out.WriteLine($"TARGET the largest size's p99 within 1.2× of the empty table's, recovery < 2 s: {(met ? "MET" : "NOT MET")}");
            return recovered is null ? 1 : 0; // a restarted app that never holds its queued tasks is broken, not slow
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>The app's storage transactions and entities read between two scrapes, per request (what a request and the
    /// background work it causes cost: independent of the history stored when every read is by key or index).</summary>
    private static string PerRequest(Metrics from, Metrics to, int requests)
    {
        if (requests == 0) return "–";
        double Per(string metric) => (to.Sum(metric) - from.Sum(metric)) / requests;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Per("reviewbot_storage_transactions_total"):0.0} / {Per("reviewbot_storage_entities_read_total"):0.0}");
    }

    private static long Deadline(TimeSpan cap) => Stopwatch.GetTimestamp() + (long)(cap.TotalSeconds * Stopwatch.Frequency);

    /// <summary>The machine's load averages (shared cores: the figures' context).</summary>
    public static string Load() => string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>Signed pull_request deliveries of the fixture's pull request, each a new head, one at a time: sent → answered.</summary>
    private static async Task<Distribution> WebhooksAsync(WebhookSender sender, int count, long deadline, CancellationToken ct)
    {
        var samples = new List<double>();
        for (var i = 0; i < count && Stopwatch.GetTimestamp() < deadline; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (delivery, body) = sender.Next();
            await sender.SendAsync(delivery, body);
            if (delivery.Status != HttpStatusCode.Accepted) throw new InvalidOperationException($"a webhook was answered {(int)delivery.Status}");
            samples.Add(Delivery.Ms(delivery.SentAt, delivery.AnsweredAt));
        }
        return Distribution.Of(samples);
    }

    /// <summary>GET /api/tasks with no parameters (the dashboard's first page), one at a time.</summary>
    private static async Task<(Distribution Latency, int Returned)> ListsAsync(AppProcess app, int count, long deadline, CancellationToken ct)
    {
        var samples = new List<double>();
        var returned = 0;
        for (var i = 0; i < count && Stopwatch.GetTimestamp() < deadline; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await app.Http.GetAsync("/api/tasks", HttpCompletionOption.ResponseContentRead, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET /api/tasks answered {(int)response.StatusCode}: {body}");
            returned = CountTasks(body);
        }
        return (Distribution.Of(samples), returned);
    }

    /// <summary>Tasks in a list answer: a JSON array, or an object with an array (a page).</summary>
    private static int CountTasks(string body)
    {
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.ValueKind == JsonValueKind.Array) return doc.RootElement.GetArrayLength();
        foreach (var p in doc.RootElement.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Array) return p.Value.GetArrayLength();
        return -1;
    }

    /// <summary>Polls reviewbot_tasks_queued until the dispatcher holds <paramref name="queued"/> tasks: time since the process started.</summary>
    private static async Task<(TimeSpan? Took, double Seen)> RecoveredAsync(AppProcess app, int queued, long deadline, CancellationToken ct)
    {
        var seen = 0.0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            seen = (await app.ScrapeAsync(ct))["reviewbot_tasks_queued"];
            if (seen >= queued) return (Stopwatch.GetElapsedTime(app.StartedAt), seen);
            await Task.Delay(20, ct); // the metric is the only view of the dispatcher from outside the process
        }
        return (null, seen);
    }
}
