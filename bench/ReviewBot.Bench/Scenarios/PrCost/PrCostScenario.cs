using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Bench.Harness;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;
using ReviewBot.Testing;
using ReviewBot.Testing.FakeGitHub;

namespace ReviewBot.Bench.Scenarios.PrCost;

/// <param name="Findings">Findings the agent reports (each on its own added line of the pull request).</param>
public sealed record PrCostOptions(int Findings, IReadOnlyDictionary<string, string> AppSettings)
{
    /// <summary>The scenario is one pull request: the smoke run is the same run.</summary>
    public static PrCostOptions Smoke() => new(3, new Dictionary<string, string>());
}

/// <summary>
/// The storage transactions one pull request costs end to end, by table or container and operation: a signed
/// pull_request webhook → its task → placement on an agent (a SignalR client in this process, which accepts and
/// completes with findings) → the result → the report on the fake GitHub (GitHub App: check run and review).
/// The counts are the app's own (<see cref="StorageMetering"/>, the meter behind <c>reviewbot_storage_transactions_total</c>):
/// the app runs in this process (<see cref="InProcessApp"/>) so that the scenario reads its totals. The app also spends transactions on a clock (last-ping flushes, the scheduler's lease…): a window
/// of the same length right after the pull request, with nothing happening, is counted too and subtracted.
/// </summary>
public static class PrCostScenario
{
    private const string Owner = "Codertocat", Name = "Hello-World", File = "src/pr.sh";
    private const int Number = 2;

    public static async Task<int> RunAsync(PrCostOptions o, BenchStorage storage, CancellationToken ct)
    {
        Report.Header("pr-cost", $"storage transactions of one pull request, {o.Findings} findings, GitHub App on the fake GitHub");
        await using var github = await FakeGitHubServer.StartAsync();
        var keyPath = Path.Combine(Path.GetTempPath(), $"reviewbot-bench-app-{Guid.NewGuid():N}.pem");
        await System.IO.File.WriteAllTextAsync(keyPath, github.PrivateKeyPem, ct);
        try
        {
            using var sender0 = new WebhookSender("http://127.0.0.1/");
            var baseSha = sender0.FixtureBaseSha;
            var headSha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())));
            var findings = Enumerable.Range(1, o.Findings)
                .Select(k => new Finding(File, k, 1, null, Severity.Warning, "SC2034", $"v{k} appears unused")).ToList();
            github.AddPullRequest(Owner, Name, Number, baseSha, headSha, Diff(o.Findings + 10));

            var settings = new Dictionary<string, string>
            {
                ["ReviewBot:GitHub:ApiUrl"] = github.ApiUrl.ToString(),
                ["ReviewBot:GitHub:AppId"] = github.AppId.ToString(CultureInfo.InvariantCulture),
                ["ReviewBot:GitHub:PrivateKeyPath"] = keyPath,
                ["ReviewBot:GitHub:Http:WriteSpacing"] = "00:00:00",
                ["ReviewBot:Reporting:PublicUrl"] = "https://reviewbot.example.com",
            };
            foreach (var (k, v) in o.AppSettings) settings[k] = v;
            var prefix = storage.NewPrefix();
            await using var app = await InProcessApp.StartAsync(storage, settings, prefix);
            var counter = new MeterReading(app.Services.GetRequiredService<StorageAccount>().Metering);
            var store = app.Services.GetRequiredService<TaskStore>();

            var marks = new ConcurrentDictionary<string, IReadOnlyDictionary<(string, string), int>>(StringComparer.Ordinal);
            var assigned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var counters = new SwarmCounters();
            await using var agent = new FakeAgent(app.HubUrl, AppProcess.AgentToken, "pr-cost-agent", ["linux"], 4, counters,
                (a, _) => { if (a.Source.HeadSha == headSha) { marks.TryAdd("assigned", counter.Snapshot()); assigned.TrySetResult(); } }, complete: true, findings);
            await agent.ConnectAsync(ct);
            using var stop = new CancellationTokenSource();
            var heartbeats = agent.HeartbeatAsync(stop.Token);

            var tasks = new ConcurrentDictionary<string, ReviewTask>(StringComparer.Ordinal);
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnChanged(ReviewTask t)
            {
                if (t.HeadSha != headSha) return;
                tasks[t.Id] = t;
                if (tasks.Values.All(x => x.State.IsTerminal()) && marks.TryAdd("ended", counter.Snapshot())) ended.TrySetResult();
                if (tasks.Values.All(x => x.State.IsTerminal() && x.Reporting.Done)) reported.TrySetResult();
            }
            store.Changed += OnChanged;
            await Task.Delay(TimeSpan.FromSeconds(1), ct); // the agent's registration writes settle before the window opens

            using var sender = new WebhookSender(app.Url);
            var (delivery, body) = sender.For(headSha, baseSha, $"https://{github.ApiUrl.Host}/{Owner}/{Name}.git");
            var start = counter.Snapshot();
            var entitiesAtStart = counter.Entities();
            var githubBefore = github.Requests.Count;
            var clock = Stopwatch.StartNew();
            await sender.SendAsync(delivery, body);
            var answered = counter.Snapshot();
            if (delivery.Status != HttpStatusCode.Accepted) throw new InvalidOperationException($"the webhook was answered {(int)delivery.Status}: {delivery.Answer}");
            await assigned.Task.WithTimeout(TimeSpan.FromSeconds(60), "the assignment");
            await ended.Task.WithTimeout(TimeSpan.FromSeconds(60), "the result");
            await reported.Task.WithTimeout(TimeSpan.FromSeconds(60), "the report");
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct); // writes that follow the last task change (none expected)
            var end = counter.Snapshot();
            var entities = Diff(counter.Entities(), entitiesAtStart);
            var window = clock.Elapsed;
            store.Changed -= OnChanged;
            var githubRequests = github.Requests.Skip(githubBefore).ToList();

            await Task.Delay(window, ct); // the same time with nothing happening: what the app spends on its clock
            var idle = Diff(counter.Snapshot(), end);
            await stop.CancelAsync();
            await heartbeats;

            var stages = new (string Name, IReadOnlyDictionary<(string, string), int> From, IReadOnlyDictionary<(string, string), int> To)[]
            {
                ("ingest: webhook → 202", start, answered),
                ("placement: 202 → assignment received", answered, marks["assigned"]),
                ("result: assignment → task ended", marks["assigned"], marks["ended"]),
                ("report: task ended → report done + 0.5 s", marks["ended"], end),
            };
            var total = Diff(end, start);
            var keys = total.Keys.Union(idle.Keys).Order().ToList();
            var o2 = BenchOutput.Out;
            o2.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{tasks.Count} task(s), {string.Join(", ", tasks.Values.Select(t => $"{t.State} with {t.FindingCount} findings, report {t.Reporting.Stage}"))}; " +
                $"{window.TotalSeconds:0.00} s from webhook to report done; load {StorageScale.StorageScaleScenario.Load()}"));
            o2.WriteLine();
            o2.WriteLine($"| table or container | operation | {string.Join(" | ", stages.Select(s => s.Name))} | whole pull request | idle, same {window.TotalSeconds:0.0} s | pull request − idle |");
            o2.WriteLine($"|---|---|{string.Concat(stages.Select(_ => "---:|"))}---:|---:|---:|");
            foreach (var key in keys)
            {
                var cells = stages.Select(s => Count(Diff(s.To, s.From), key).ToString(CultureInfo.InvariantCulture));
                o2.WriteLine($"| {key.Item1} | {key.Item2} | {string.Join(" | ", cells)} | {Count(total, key)} | {Count(idle, key)} | {Count(total, key) - Count(idle, key)} |");
            }
            var sumStages = stages.Select(s => Diff(s.To, s.From).Values.Sum().ToString(CultureInfo.InvariantCulture));
            o2.WriteLine($"| **total** | | {string.Join(" | ", sumStages)} | **{total.Values.Sum()}** | {idle.Values.Sum()} | **{total.Values.Sum() - idle.Values.Sum()}** |");
            o2.WriteLine();
            o2.WriteLine($"GitHub requests in the window: {githubRequests.Count} ({githubRequests.Count(r => r.Method != "GET")} writes: " +
                $"{string.Join(", ", githubRequests.GroupBy(r => $"{r.Method} {Shorten(r.Path)}").Select(g => $"{g.Key} ×{g.Count()}"))})");
            var run = github.CheckRuns(Owner, Name).FirstOrDefault(r => r.HeadSha == headSha);
            var reviews = github.Reviews(Owner, Name, Number).Count;
            var published = run is { Status: "completed" } && (o.Findings == 0 || reviews > 0);
            o2.WriteLine($"report on the fake GitHub: check run {run?.Status ?? "missing"} ({run?.Conclusion}), {reviews} review(s)");
            o2.WriteLine($"TARGET (none set; issue 14 asks for the figure): {total.Values.Sum() - idle.Values.Sum()} storage transactions for one pull request with one linter, counted by the app ({nameof(StorageMetering)}); entities read in the window: {Describe(entities)}");
            return published ? 0 : 1;
        }
        finally
        {
            System.IO.File.Delete(keyPath);
        }
    }

    /// <summary>Snapshots of the app's storage meter, by (table or container, operation).</summary>
    private sealed class MeterReading(StorageMetering metering)
    {
        public IReadOnlyDictionary<(string, string), int> Snapshot() => Copy(metering.Transactions);

        public IReadOnlyDictionary<(string, string), int> Entities() => Copy(metering.EntitiesRead);

        private static Dictionary<(string, string), int> Copy(IReadOnlyDictionary<(string Resource, string Operation), long> totals) =>
            totals.ToDictionary(kv => (kv.Key.Resource, kv.Key.Operation), kv => (int)kv.Value);
    }

    private static string Describe(IReadOnlyDictionary<(string, string), int> counts) =>
        string.Join(", ", counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key.Item1} {kv.Key.Item2} {kv.Value}"));

    private static int Count(IReadOnlyDictionary<(string, string), int> counts, (string, string) key) => counts.TryGetValue(key, out var n) ? n : 0;

    private static Dictionary<(string, string), int> Diff(IReadOnlyDictionary<(string, string), int> later, IReadOnlyDictionary<(string, string), int> earlier) =>
        later.Select(kv => (kv.Key, N: kv.Value - Count(earlier, kv.Key))).Where(x => x.N != 0).ToDictionary(x => x.Key, x => x.N);

    /// <summary>/repos/o/r/check-runs/12 → /repos/o/r/check-runs/{id}, so requests group by endpoint.</summary>
    private static string Shorten(string path) => string.Join('/', path.Split('/').Select(s => s.Length > 0 && s.All(char.IsAsciiDigit) ? "{n}" : s));

    /// <summary>One added shell script of <paramref name="lines"/> lines.</summary>
    private static string Diff(int lines)
    {
        var diff = new StringBuilder();
        diff.Append(CultureInfo.InvariantCulture, $"diff --git a/{File} b/{File}\nnew file mode 100644\nindex 0000000..1a2b3c4\n--- /dev/null\n+++ b/{File}\n@@ -0,0 +1,{lines} @@\n");
        for (var k = 1; k <= lines; k++) diff.Append(CultureInfo.InvariantCulture, $"+v{k}=$(compute {k})\n");
        return diff.ToString();
    }
}
