using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Bench.Harness;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Bench.Scenarios;

/// <param name="Lines">Measured lines per mode.</param>
/// <param name="Interval">Time between two lines the agent prints.</param>
/// <param name="Batch">The agent's batching interval in the batched mode (the real agent's LogStreamer: 250 ms).</param>
/// <param name="Megabytes">Log volume pushed to measure the app's CPU per MB.</param>
public sealed record LogLatencyOptions(int Lines, int Warmup, TimeSpan Interval, TimeSpan Batch, int Megabytes, IReadOnlyDictionary<string, string> AppSettings)
{
    /// <summary>Seconds, to prove the scenario still runs (`--smoke`, the tests): its figures mean nothing.</summary>
    public static LogLatencyOptions Smoke(IReadOnlyDictionary<string, string>? settings = null) =>
        new(20, 5, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), 1, settings ?? new Dictionary<string, string>());
}

/// <summary>
/// Log line → browser: a hub client plays the agent (register, accept, AppendLog chunks numbered from 0, one in flight,
/// as the real agent's LogStreamer) and a dashboard client (WatchTask) records when each line arrives. Lines carry the
/// bench's Stopwatch timestamp, so both ends use one clock. Modes: every line sent as its own chunk at once (the
/// server hop alone: hub → append blob → relay), and lines batched every 250 ms as the real agent does. Then a bulk
/// push of 32 KiB chunks measures the app's CPU per MB streamed (with the watcher relaying).
/// </summary>
public static class LogLatencyScenario
{
    public static async Task<int> RunAsync(LogLatencyOptions o, BenchStorage storage, CancellationToken ct)
    {
        Report.Header("log-latency", $"{o.Lines} lines per mode every {o.Interval.TotalMilliseconds:0} ms after {o.Warmup} warm-up lines; then {o.Megabytes} MB in 32 KiB chunks");
        await using var app = await AppProcess.StartAsync(storage, o.AppSettings);
        BenchOutput.Out.WriteLine($"app pid {app.Pid} at {app.Url}, log {app.LogPath}");
        await using var agent = await LogAgent.ConnectAsync(app, ct);
        await using var browser = await Browser.ConnectAsync(app, ct);
        using var sender = new WebhookSender(app.Url);

        async Task<TaskAssignment> NewTaskAsync()
        {
            var (delivery, body) = sender.Next();
            await sender.SendAsync(delivery, body);
            if (delivery.Status != HttpStatusCode.Accepted) throw new InvalidOperationException($"delivery answered {delivery.Status}");
            var a = await agent.NextAssignmentAsync(ct);
            await agent.AcceptAsync(a, ct);
            await browser.WatchAsync(a.TaskId, ct);
            return a;
        }

        var immediate = await MeasureAsync(await NewTaskAsync(), agent, browser, o, batch: TimeSpan.Zero, ct);
        var batched = await MeasureAsync(await NewTaskAsync(), agent, browser, o, o.Batch, ct);
        BenchOutput.Out.WriteLine($"line → browser, each line its own chunk (server hop)  : {immediate}");
        BenchOutput.Out.WriteLine($"line → browser, batched every {o.Batch.TotalMilliseconds:0} ms (agent-like): {batched}");

        var bulk = await NewTaskAsync();
        var chunk = new string('x', 32 * 1024 - 1) + "\n";
        var chunks = o.Megabytes * 1024 * 1024 / chunk.Length;
        for (var i = 0; i < 16; i++) await agent.AppendAsync(bulk, i, chunk, ct); // warm the path
        var cpu = CpuWindow.Start(app.Pid, storage.AzuritePid);
        var started = Stopwatch.GetTimestamp();
        for (var i = 16; i < chunks + 16; i++) await agent.AppendAsync(bulk, i, chunk, ct);
        await browser.WaitForBytesAsync(bulk.TaskId, (long)(chunks + 16) * chunk.Length, TimeSpan.FromSeconds(60), ct);
        var used = cpu.Stop();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var mb = (double)chunks * chunk.Length / (1024 * 1024);
        BenchOutput.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bulk: {mb:0.0} MiB in {chunks} chunks, {seconds:0.0} s ({mb / seconds:0.0} MiB/s, one chunk in flight), relayed to 1 watcher"));
        BenchOutput.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per MiB streamed: app {used.App.TotalMilliseconds / mb:0.0} ms, Azurite {used.Azurite.TotalMilliseconds / mb:0.0} ms, bench {used.Bench.TotalMilliseconds / mb:0.0} ms (rest of the machine {used.Others.TotalSeconds:0.0} s)"));
        var met = batched.Count > 0 && batched.P95 <= 300;
        BenchOutput.Out.WriteLine();
        BenchOutput.Out.WriteLine($"TARGET p95(line → browser) ≤ 300 ms with the agent's batching: {(met ? "MET" : "NOT MET")} (p95 = {batched.P95:0.0} ms; server hop alone p95 = {immediate.P95:0.0} ms)");
        return 0;
    }

    private static async Task<Distribution> MeasureAsync(TaskAssignment task, LogAgent agent, Browser browser, LogLatencyOptions o, TimeSpan batch, CancellationToken ct)
    {
        var sequence = 0L;
        var pending = new StringBuilder();
        var lastFlush = Stopwatch.GetTimestamp();
        var total = o.Warmup + o.Lines;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = o.Interval * i - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            pending.Append(CultureInfo.InvariantCulture, $"line {i} t={Stopwatch.GetTimestamp()}\n");
            if (batch == TimeSpan.Zero || Stopwatch.GetElapsedTime(lastFlush) >= batch || i == total - 1)
            {
                await agent.AppendAsync(task, sequence++, pending.ToString(), ct);
                pending.Clear();
                lastFlush = Stopwatch.GetTimestamp();
            }
        }
        var arrivals = await browser.WaitForLinesAsync(task.TaskId, total, TimeSpan.FromSeconds(30), ct);
        return Distribution.Of([.. arrivals.Skip(o.Warmup)]);
    }

    /// <summary>The agent's side: registers, heartbeats, accepts, sends chunks one at a time.</summary>
    private sealed class LogAgent : IAsyncDisposable
    {
        private readonly HubConnection _hub;
        private readonly System.Threading.Channels.Channel<TaskAssignment> _assignments = System.Threading.Channels.Channel.CreateUnbounded<TaskAssignment>();
        private readonly CancellationTokenSource _stop = new();
        private const string NodeId = "log-bench-agent";

        private LogAgent(HubConnection hub) => _hub = hub;

        public static async Task<LogAgent> ConnectAsync(AppProcess app, CancellationToken ct)
        {
            var hub = new HubConnectionBuilder().WithUrl(app.HubUrl, o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(AppProcess.AgentToken);
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
            }).Build();
            var agent = new LogAgent(hub);
            hub.On<TaskAssignment>(nameof(IAgentClient.AssignTask), a => agent._assignments.Writer.TryWrite(a));
            await hub.StartAsync(ct);
            var registration = new AgentRegistration(NodeId, NodeId, ["linux"], 4, false, "bench", "linux", "x64", AgentProtocol.Version, []);
            var result = await hub.InvokeAsync<RegistrationResult>(nameof(IAgentHub.Register), registration, ct);
            if (!result.Accepted) throw new InvalidOperationException(result.Reason);
            _ = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(result.HeartbeatInterval);
                while (await timer.WaitForNextTickAsync(agent._stop.Token).ConfigureAwait(false))
                    await hub.InvokeAsync(nameof(IAgentHub.Heartbeat), new AgentHeartbeat(NodeId, [], false), agent._stop.Token).ConfigureAwait(false);
            });
            return agent;
        }

        public async Task<TaskAssignment> NextAssignmentAsync(CancellationToken ct) =>
            await _assignments.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);

        public async Task AcceptAsync(TaskAssignment a, CancellationToken ct)
        {
            var ack = await _hub.InvokeAsync<TaskAck>(nameof(IAgentHub.AcceptTask), new TaskAcceptance(NodeId, a.TaskId, a.LeaseToken, true, null), ct);
            if (!ack.Accepted) throw new InvalidOperationException(ack.Reason);
        }

        public Task AppendAsync(TaskAssignment a, long sequence, string text, CancellationToken ct) =>
            _hub.InvokeAsync(nameof(IAgentHub.AppendLog), new LogChunk(NodeId, a.TaskId, a.LeaseToken, sequence, text), ct);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _hub.DisposeAsync();
        }
    }

    /// <summary>The browser's side: a dashboard hub connection watching tasks; records when each line arrives.</summary>
    private sealed class Browser : IAsyncDisposable
    {
        private readonly HubConnection _hub;
        private readonly Lock _gate = new();
        private readonly Dictionary<string, (List<double> Latencies, long Bytes)> _tasks = new(StringComparer.Ordinal);

        private Browser(HubConnection hub) => _hub = hub;

        public static async Task<Browser> ConnectAsync(AppProcess app, CancellationToken ct)
        {
            var hub = new HubConnectionBuilder().WithUrl(app.Url + ReviewBot.Functions.Dashboard.DashboardHub.Path, o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(AppProcess.ApiKey);
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
            }).Build();
            var browser = new Browser(hub);
            hub.On<string, long, string>("LogAppended", browser.OnAppended);
            await hub.StartAsync(ct);
            return browser;
        }

        public async Task WatchAsync(string taskId, CancellationToken ct)
        {
            lock (_gate) _tasks[taskId] = ([], 0);
            await _hub.InvokeAsync<ReviewBot.Functions.Dashboard.LogSnapshot>("WatchTask", taskId, ct);
        }

        private void OnAppended(string taskId, long sequence, string text)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                if (!_tasks.TryGetValue(taskId, out var t)) return;
                foreach (var line in text.Split('\n'))
                {
                    var at = line.IndexOf(" t=", StringComparison.Ordinal);
                    if (at >= 0 && long.TryParse(line.AsSpan(at + 3), NumberStyles.None, CultureInfo.InvariantCulture, out var sent))
                        t.Latencies.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                }
                _tasks[taskId] = (t.Latencies, t.Bytes + Encoding.UTF8.GetByteCount(text));
            }
        }

        public Task<List<double>> WaitForLinesAsync(string taskId, int lines, TimeSpan timeout, CancellationToken ct) =>
            WaitAsync(taskId, t => t.Latencies.Count >= lines, timeout, $"{lines} lines", ct);

        public Task WaitForBytesAsync(string taskId, long bytes, TimeSpan timeout, CancellationToken ct) =>
            WaitAsync(taskId, t => t.Bytes >= bytes, timeout, $"{bytes} bytes", ct);

        private async Task<List<double>> WaitAsync(string taskId, Func<(List<double> Latencies, long Bytes), bool> done, TimeSpan timeout, string what, CancellationToken ct)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                lock (_gate)
                    if (done(_tasks[taskId])) return [.. _tasks[taskId].Latencies];
                if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"the browser did not get {what} of {taskId} in {timeout.TotalSeconds:0} s");
                await Task.Delay(20, ct); // arrivals are recorded on SignalR's thread; polling the record is simplest here
            }
        }

        public ValueTask DisposeAsync() => _hub.DisposeAsync();
    }
}
