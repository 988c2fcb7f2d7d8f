using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Telemetry;

/// <summary>
/// One pull request end to end on real parts (Azurite, the app on Kestrel, a real agent process, git, shellcheck), its
/// telemetry read by OpenTelemetry's in-memory exporters added to the app's own pipeline: one trace from the delivery
/// through the task, its placement and the agent's spans to the report, and the metrics of the run.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PullRequestTelemetryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly SpanSignal _ended = new();
    private GitRepo _repo = null!;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["scripts/build.sh"] = "#!/bin/sh\necho \"building\"\n" },
            new Dictionary<string, string?> { ["scripts/build.sh"] = "#!/bin/sh\necho \"building\"\nrm -rf $1/out\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task OnePullRequest_IsOneTrace_FromDeliveryThroughTheAgentsSpansToTheReport_AndItsRunIsMeasured()
    {
        var app = await TestApp.StartAsync(azurite, Configs.Single("shellcheck", "\".sh\"", "[\"shellcheck\", \"-f\", \"gcc\"]"), configure: b =>
        {
            b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans).AddProcessor(_ended));
            b.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(_metrics));
        });
        _owned.Add(app);
        var agent = AgentProcess.Start(app.Url, "trace-box", ["linux"]);
        _owned.Add(agent);
        await app.WaitForOnlineAsync(agent, Timeouts.Long);

        var response = await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Single().GetString()!;
        var done = await app.WaitForTaskAsync(id, t => t.State.IsTerminal(), Timeouts.Long, "the shellcheck task to end");
        Assert.Equal(TaskState.Failed, done.State);
        var traceId = ActivityContext.Parse(done.TraceParent!, null).TraceId;
        // The agent's spans are written once its result is recorded, just after the task's end is stored; the report
        // is published at each stage (the first while the task is queued).
        await _ended.WaitAsync(a => a.TraceId == traceId && a.OperationName == "agent.run", Timeouts.Long, "the agent's run span");
        await _ended.WaitAsync(a => a.TraceId == traceId && a.OperationName == "reviewbot.report", Timeouts.Long, "a report's span");

        List<Activity> trace;
        lock (_spans) trace = [.. _spans.Where(a => a.TraceId == traceId)];
        Activity One(string name) => trace.Count(a => a.OperationName == name) == 1 ? trace.Single(a => a.OperationName == name)
            : throw new Xunit.Sdk.XunitException($"not one {name} in the trace: {string.Join(", ", trace.Select(a => a.OperationName))}\nagent:\n{agent.Output}");
        var delivery = One("reviewbot.delivery");
        var task = One("reviewbot.task");
        var placement = One("reviewbot.placement");
        var run = One("agent.run");
        Assert.Equal(delivery.SpanId, task.ParentSpanId);
        Assert.Equal(task.SpanId, placement.ParentSpanId);
        Assert.Equal(task.SpanId, run.ParentSpanId);
        Assert.Equal("trace-box", placement.GetTagItem("reviewbot.agent"));
        foreach (var step in new[] { "agent.fetch", "agent.lint", "agent.parse", "agent.upload" })
        {
            var span = One(step);
            Assert.Equal(run.SpanId, span.ParentSpanId);
            Assert.True(span.StartTimeUtc >= run.StartTimeUtc && span.Duration <= run.Duration, $"{step} lies outside the agent's run");
        }
        Assert.Equal("failed", run.GetTagItem("reviewbot.outcome"));
        Assert.All(trace.Where(a => a.OperationName == "reviewbot.report"), a => Assert.Equal(task.SpanId, a.ParentSpanId));
        Assert.Contains(trace, a => a.OperationName == "reviewbot.report");
        Assert.Equal(traceId.ToHexString(), (await app.GetJsonAsync<JsonElement>($"/api/tasks/{id}")).GetProperty("traceId").GetString());

        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        MetricPoint Point(string metric, params (string Key, string Value)[] tags)
        {
            var snapshot = _metrics.Last(m => m.Name == metric);
            return Assert.Single(snapshot.MetricPoints, p => tags.All(t => Tag(p, t.Key) == t.Value));
        }
        var labels = new[] { ("repository", done.Repository), ("linter", "shellcheck"), ("agent", "trace-box"), ("host", "github") };
        Assert.Equal(1, Point("reviewbot.task.queue_time", labels).GetHistogramCount());
        Assert.Equal(1, Point("reviewbot.task.run_time", [.. labels, ("state", "failed")]).GetHistogramCount());
        Assert.Equal(1, Point("reviewbot.tasks.ended", ("state", "failed")).GetSumLong());
        Assert.True(_metrics.Last(m => m.Name == "reviewbot.findings").MetricPoints.Sum(p => p.GetSumLong()) >= 1);
        Assert.Equal(1, Point("reviewbot.deliveries", ("outcome", "accepted")).GetSumLong());
        Assert.Equal(1, Point("reviewbot.webhook.ingest_time", ("event", "pull_request")).GetHistogramCount());
        Assert.True(_metrics.Last(m => m.Name == "reviewbot.storage.transactions").MetricPoints.Sum(p => p.GetSumLong()) > 0);
        Assert.Equal(1, Point("reviewbot.agents", ("state", "idle")).GetGaugeLastValueLong());
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key) return tag.Value?.ToString();
        return null;
    }

    /// <summary>Completes a wait when a span that satisfies its condition ends.</summary>
    private sealed class SpanSignal : BaseProcessor<Activity>
    {
        private readonly List<(Func<Activity, bool> Condition, TaskCompletionSource Done)> _waits = [];
        private readonly List<Activity> _ended = [];

        public override void OnEnd(Activity data)
        {
            lock (_waits)
            {
                _ended.Add(data);
                foreach (var (condition, done) in _waits)
                    if (condition(data)) done.TrySetResult();
            }
        }

        public async Task WaitAsync(Func<Activity, bool> condition, TimeSpan timeout, string what)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waits)
            {
                if (_ended.Any(condition)) return;
                _waits.Add((condition, done));
            }
            await done.Task.WithTimeout(timeout, what);
        }
    }
}
