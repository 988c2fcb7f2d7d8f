using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Hosting.Diagnostics;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Telemetry;

/// <summary>
/// The tasks' metrics (meter <c>ReviewBot.Tasks</c>), from the facts <see cref="TaskLifecycle"/> announces after each
/// write, so no writer of task state knows about them:
/// <list type="bullet">
/// <item><c>reviewbot.task.queue_time</c> (s): queued until placed; tags host, repository, linter, agent.</item>
/// <item><c>reviewbot.task.run_time</c> (s): accepted by the agent until ended; tags host, repository, linter, agent, state.</item>
/// <item><c>reviewbot.tasks.created</c>: tags host, kind (linter, job). <c>reviewbot.tasks.ended</c>: tags host, state.</item>
/// <item><c>reviewbot.findings</c>: findings in recorded results; tags host, severity.</item>
/// <item><c>reviewbot.results.refused</c>: results refused because their lease was no longer valid (no tags).</item>
/// </list>
/// repository, linter and agent are capped (<see cref="ReviewBotMeters"/>). Only this instance's writes are counted:
/// with several instances, sum over them.
/// </summary>
public sealed class TaskMetrics : IDisposable
{
    private readonly TaskLifecycle _lifecycle;
    private readonly ReviewBotMeters _meters;
    private readonly TimeProvider _time;
    private readonly Histogram<double> _queueTime;
    private readonly Histogram<double> _runTime;
    private readonly Counter<long> _created;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _findings;
    private readonly Counter<long> _refused;

    public TaskMetrics(TaskLifecycle lifecycle, ReviewBotMeters meters, TimeProvider time)
    {
        _lifecycle = lifecycle;
        _meters = meters;
        _time = time;
        var meter = meters.Create("Tasks");
        _queueTime = ReviewBotMeters.Seconds(meter, "reviewbot.task.queue_time", "Time a task waited in the queue before it was placed on an agent.");
        _runTime = ReviewBotMeters.Seconds(meter, "reviewbot.task.run_time", "Time from the agent's acceptance of a task to its end.");
        _created = meter.CreateCounter<long>("reviewbot.tasks.created", "{task}", "Tasks created.");
        _ended = meter.CreateCounter<long>("reviewbot.tasks.ended", "{task}", "Tasks that ended, by final state.");
        _findings = meter.CreateCounter<long>("reviewbot.findings", "{finding}", "Findings in the results agents reported, by severity.");
        _refused = meter.CreateCounter<long>("reviewbot.results.refused", "{result}", "Task results refused because their lease was no longer valid.");
        lifecycle.Transitioned += OnTransitioned;
        lifecycle.ResultRecorded += OnResult;
        lifecycle.ResultRefused += OnRefused;
    }

    private void OnTransitioned(TaskState? before, ReviewTask task)
    {
        if (before is null)
        {
            _created.Add(1, new TagList { { "host", task.Host }, { "kind", task.Job is null ? "linter" : "job" } });
            return;
        }
        if (before == TaskState.Queued && task.State == TaskState.Assigned)
        {
            var waited = _time.GetUtcNow() - (task.QueuedAt ?? task.CreatedAt);
            _queueTime.Record(Math.Max(0, waited.TotalSeconds), Tags(task));
        }
        else if (TaskStates.Ended(before, task.State))
        {
            _ended.Add(1, new TagList { { "host", task.Host }, { "state", task.State.Name() } });
            if (task.StartedAt is { } started && task.CompletedAt is { } completed)
            {
                var tags = Tags(task);
                tags.Add("state", task.State.Name());
                _runTime.Record(Math.Max(0, (completed - started).TotalSeconds), tags);
            }
        }
    }

    private void OnResult(ReviewTask task, TaskResult result)
    {
        if (result.Findings.Count == 0) return;
        int info = 0, warning = 0, error = 0;
        foreach (var f in result.Findings)
        {
            if (f.Severity == Severity.Error) error++;
            else if (f.Severity == Severity.Warning) warning++;
            else info++;
        }
        Add("error", error);
        Add("warning", warning);
        Add("info", info);

        void Add(string severity, int count)
        {
            if (count > 0) _findings.Add(count, new TagList { { "host", task.Host }, { "severity", severity } });
        }
    }

    private void OnRefused(string taskId) => _refused.Add(1);

    private TagList Tags(ReviewTask task) => new()
    {
        { "host", task.Host },
        { "repository", _meters.Repositories.Of(task.Repository) },
        { "linter", _meters.Linters.Of(task.JobName ?? task.Linter.Name) },
        { "agent", _meters.Agents.Of(task.NodeName) },
    };

    public void Dispose()
    {
        _lifecycle.Transitioned -= OnTransitioned;
        _lifecycle.ResultRecorded -= OnResult;
        _lifecycle.ResultRefused -= OnRefused;
    }
}
