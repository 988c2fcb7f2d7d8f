using System.Diagnostics;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Tasks;

/// <summary>
/// The agent's spans of one task, recorded only when the assignment carries a W3C traceparent
/// (<see cref="TaskAssignment.TraceParent"/>): <c>agent.run</c> around the steps <c>agent.fetch</c> (checkout),
/// <c>agent.lint</c> (the linter's process), <c>agent.parse</c> (its output) and <c>agent.upload</c> (the rest of the log
/// delivered). They travel with the result (<see cref="TaskResult.Spans"/>) and the server writes them into its trace
/// exporter under the task's trace, so the agent needs no telemetry endpoint of its own. Thread-safe.
/// </summary>
internal sealed class TaskSpans
{
    private readonly TimeProvider _time;
    private readonly List<SpanRecord> _steps = [];
    private readonly DateTimeOffset _started;
    private readonly string? _runId;

    public TaskSpans(string? traceParent, TimeProvider time)
    {
        _time = time;
        _started = time.GetUtcNow();
        _runId = ActivityContext.TryParse(traceParent, null, out _) ? ActivitySpanId.CreateRandom().ToHexString() : null;
    }

    /// <summary>The trace id the server gave, for the log scope; null when the task is not traced.</summary>
    public static string? TraceIdOf(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;

    /// <summary>A step's span: ends when disposed (set <see cref="Step.Error"/> first when the step failed).</summary>
    public Step Start(string name, string? detail = null) => new(this, name, detail, _time.GetUtcNow());

    /// <summary>The run's span and its steps, parents first; empty when the task is not traced.</summary>
    public IReadOnlyList<SpanRecord> Finish(TaskResult result)
    {
        if (_runId is null) return [];
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["reviewbot.outcome"] = result.Outcome.ToString().ToLowerInvariant() };
        if (result.ExitCode is { } exit) tags["reviewbot.exit_code"] = exit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        tags["reviewbot.findings"] = result.Findings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var run = new SpanRecord("agent.run", _runId, null, _started, _time.GetUtcNow() - _started, result.Outcome == TaskOutcome.Errored ? result.Error : null, tags);
        lock (_steps) return [run, .. _steps];
    }

    private void Add(Step step, DateTimeOffset ended)
    {
        if (_runId is null) return;
        var tags = step.Detail is { } detail ? new Dictionary<string, string>(StringComparer.Ordinal) { ["reviewbot.detail"] = detail } : null;
        var record = new SpanRecord(step.Name, ActivitySpanId.CreateRandom().ToHexString(), _runId, step.Started, ended - step.Started, step.Error, tags);
        lock (_steps) _steps.Add(record);
    }

    public sealed class Step(TaskSpans owner, string name, string? detail, DateTimeOffset started) : IDisposable
    {
        private bool _ended;

        public string Name { get; } = name;
        public string? Detail { get; } = detail;
        public DateTimeOffset Started { get; } = started;
        public string? Error { get; set; }

        public void Dispose()
        {
            if (_ended) return;
            _ended = true;
            owner.Add(this, owner._time.GetUtcNow());
        }
    }
}
