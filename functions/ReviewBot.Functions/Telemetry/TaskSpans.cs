using System.Diagnostics;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Hosting.Diagnostics;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Telemetry;

/// <summary>
/// The spans of a task's life that no request carries, written under the task's trace (<see cref="ReviewTask.TraceParent"/>)
/// when the facts are known, with their true times: <c>reviewbot.placement</c> (queued until assigned, tags agent and
/// reason) and the agent's own spans (<see cref="TaskResult.Spans"/>: <c>agent.run</c> around <c>agent.fetch</c>,
/// <c>agent.lint</c>, <c>agent.parse</c>, <c>agent.upload</c>), which the agent sends with its result. An agent's span
/// keeps its name, times, parent relation, error and tags; it gets a new span id here (an activity's id cannot be
/// chosen), and at most <see cref="MaxAgentSpans"/> are taken, names and tags cut. Times are the agent's clock.
/// </summary>
public sealed class TaskSpans : IDisposable
{
    public const int MaxAgentSpans = 32;
    private const int MaxTags = 8;
    private const int MaxText = 200;

    private readonly TaskLifecycle _lifecycle;
    private readonly TimeProvider _time;

    public TaskSpans(TaskLifecycle lifecycle, TimeProvider time)
    {
        _lifecycle = lifecycle;
        _time = time;
        lifecycle.Transitioned += OnTransitioned;
        lifecycle.ResultRecorded += OnResult;
    }

    private void OnTransitioned(TaskState? before, ReviewTask task)
    {
        if (before != TaskState.Queued || task.State != TaskState.Assigned) return;
        using var span = ReviewBotTracing.Past("reviewbot.placement", task.TraceParent, task.QueuedAt ?? task.CreatedAt, _time.GetUtcNow());
        span?.SetTag("reviewbot.task.id", task.Id);
        span?.SetTag("reviewbot.agent", task.NodeName);
        span?.SetTag("reviewbot.placement.reason", task.PlacementReason);
        span?.SetTag("reviewbot.attempt", task.Attempt);
    }

    private void OnResult(ReviewTask task, TaskResult result) => Emit(task.TraceParent, task.NodeName, result.Spans);

    /// <summary>Writes the agent's spans under <paramref name="traceParent"/>; records whose parent is unknown hang
    /// off the task's span.</summary>
    internal static void Emit(string? traceParent, string? agent, IReadOnlyList<SpanRecord>? records)
    {
        if (records is null || records.Count == 0 || ReviewBotTracing.Parent(traceParent) is not { } root) return;
        var written = new Dictionary<string, ActivityContext>(StringComparer.Ordinal);
        var started = new List<Activity>();
        try
        {
            foreach (var r in records.Where(r => r is not null).Take(MaxAgentSpans))
            {
                var parent = r.ParentSpanId is { } p && written.TryGetValue(p, out var known) ? known : root;
                var start = r.Start;
                var duration = r.Duration < TimeSpan.Zero || r.Duration > TimeSpan.FromDays(1) ? TimeSpan.Zero : r.Duration;
                var span = ReviewBotTracing.Source.StartActivity(Cut(r.Name ?? "agent.span"), ActivityKind.Internal, parent, startTime: start);
                if (span is null) return;
                started.Add(span);
                span.SetTag("reviewbot.agent", agent);
                foreach (var (key, value) in (r.Tags ?? new Dictionary<string, string>()).Take(MaxTags))
                    span.SetTag(Cut(key), Cut(value ?? ""));
                if (r.Error is { } error) span.SetStatus(ActivityStatusCode.Error, Cut(error));
                span.SetEndTime((start + duration).UtcDateTime);
                if (r.SpanId is { } id) written[id] = span.Context;
            }
        }
        finally
        {
            // Children end before their parents, as they did on the agent: whoever sees the run's span sees its steps.
            for (var i = started.Count - 1; i >= 0; i--) started[i].Dispose();
        }
    }

    private static string Cut(string text) => text.Length <= MaxText ? text : text[..MaxText];

    public void Dispose()
    {
        _lifecycle.Transitioned -= OnTransitioned;
        _lifecycle.ResultRecorded -= OnResult;
    }
}
