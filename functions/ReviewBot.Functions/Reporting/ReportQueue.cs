using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Hosting.Diagnostics;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Reporting;

/// <summary>
/// Keeps each task's report on its code host in step with the task: queued → in progress → completed. A keyed work
/// queue of task ids, fed by the lifecycle's transitions (every state change this instance writes; see
/// <see cref="OnChanged"/>) and, at start, by the tasks whose report is still pending, so a crash between "task done"
/// and "review posted" only delays the review. What is posted is <see cref="ReportPipeline"/>'s business.
/// <para>Invariants: one publish per task at a time (a task changed while being published is published again
/// after); a stage is published at most once successfully (the progress is stored with the task, ETag-checked);
/// failures are retried with a doubling delay up to <see cref="ReportingOptions.MaxAttempts"/>, then the error
/// stays on the task.</para>
/// </summary>
public sealed partial class ReportQueue : BackgroundService
{
    private readonly TaskStore _store;
    private readonly TaskLifecycle _lifecycle;
    private readonly ReportPipeline _pipeline;
    private readonly IOptions<ReportingOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ReportQueue> _log;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly Lock _gate = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private readonly HashSet<string> _again = new(StringComparer.Ordinal);
    private readonly HashSet<string> _forced = new(StringComparer.Ordinal);

    private readonly ReportMetrics? _metrics;

    public ReportQueue(TaskStore store, TaskLifecycle lifecycle, ReportPipeline pipeline, IOptions<ReportingOptions> options, TimeProvider time, ILogger<ReportQueue> log,
        ReportMetrics? metrics = null)
    {
        _metrics = metrics;
        _store = store;
        _lifecycle = lifecycle;
        _pipeline = pipeline;
        _options = options;
        _time = time;
        _log = log;
        // What feeds the queue: every change of a task this instance writes (and Dispose below).
        _lifecycle.Transitioned += OnChanged;
    }

    /// <summary>A task changed: publish it, unless a failed attempt set a later retry time (saving that failure is
    /// itself a change, which must not turn the backoff into a loop).</summary>
    private void OnChanged(TaskState? from, ReviewTask task)
    {
        if (NeedsPublishing(task) && !(task.Reporting.RetryAt > _time.GetUtcNow())) Schedule(task.Id);
    }

    private static bool NeedsPublishing(ReviewTask t) =>
        !t.Reporting.Done && (t.Reporting.Stage < ReportProgress.Wanted(t.State) || t.Reporting.Error is not null && t.State.IsTerminal() && t.Reporting.Stage < ReportStage.Completed);

    /// <summary>Queues a publish of <paramref name="id"/>; while one is running for it, the request is remembered and
    /// served after it ends, so two publishes of one task never overlap (they would create two check runs).</summary>
    /// <param name="force">Publish even before the task's retry time (a retry timer, a restart).</param>
    private void Schedule(string id, bool force = false)
    {
        lock (_gate)
        {
            if (force) _forced.Add(id);
            if (_active.Contains(id)) _again.Add(id);
            else if (_queued.Add(id)) _queue.Writer.TryWrite(id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // A restart is when a broken credential or an outage has likely been fixed: retry at once.
            foreach (var pending in await _store.ReportPendingAsync(stoppingToken))
                if (NeedsPublishing(pending)) Schedule(pending.Id, force: true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRecoveryFailed(_log, e);
        }

        using var slots = new SemaphoreSlim(_options.Value.Parallelism);
        var running = new ConcurrentDictionary<Task, bool>();
        await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await slots.WaitAsync(stoppingToken);
            lock (_gate)
            {
                _queued.Remove(id);
                _active.Add(id);
            }
            var work = Task.Run(async () =>
            {
                try { await PublishAsync(id, stoppingToken); }
                finally
                {
                    slots.Release();
                    bool again;
                    lock (_gate)
                    {
                        _active.Remove(id);
                        again = _again.Remove(id);
                    }
                    if (again) Schedule(id, force: false);
                }
            }, CancellationToken.None);
            running[work] = true;
            _ = work.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
        }
        await Task.WhenAll(running.Keys);
    }

    /// <summary>Publishes one task up to the stage its state wants (one caller per task at a time).</summary>
    private async Task PublishAsync(string id, CancellationToken ct)
    {
        bool forced;
        lock (_gate) forced = _forced.Remove(id);
        var task = await _store.GetAsync(id, ct);
        if (task is null || !NeedsPublishing(task)) return;
        if (!forced && task.Reporting.RetryAt > _time.GetUtcNow()) return;
        var stage = ReportProgress.Wanted(task.State);
        ReportProgress progress;
        // The report's span joins the task's trace (a child of the task's span).
        using var span = ReviewBotTracing.Source.StartActivity("reviewbot.report", ActivityKind.Internal, ReviewBotTracing.Parent(task.TraceParent) ?? default);
        span?.SetTag("reviewbot.task.id", task.Id);
        span?.SetTag("reviewbot.report.stage", stage.ToString());
        var started = Stopwatch.GetTimestamp();
        try
        {
            progress = await _pipeline.PublishAsync(task, stage, p => SaveAsync(task.Id, _ => p, ct), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            _metrics?.Published(task, stage.ToString(), ok: false, Stopwatch.GetElapsedTime(started));
            await FailedAsync(task, stage, e, ct);
            return;
        }
        _metrics?.Published(task, stage.ToString(), ok: true, Stopwatch.GetElapsedTime(started));
        if (await SaveAsync(id, _ => progress with { Failures = 0, Error = null, RetryAt = null }, ct) is { } saved && NeedsPublishing(saved))
            Schedule(id);
    }

    private async Task FailedAsync(ReviewTask task, ReportStage stage, Exception e, CancellationToken ct)
    {
        var options = _options.Value;
        var failures = task.Reporting.Failures + 1;
        var giveUp = failures >= options.MaxAttempts;
        LogPublishFailed(_log, task.Id, stage, failures, e);
        var message = $"{stage} report failed ({failures} of {options.MaxAttempts}): {e.Message}";
        var delay = TimeSpan.FromTicks(Math.Min(options.MaxRetryDelay.Ticks, options.RetryDelay.Ticks * (1L << Math.Min(failures - 1, 20))));
        var retryAt = giveUp ? (DateTimeOffset?)null : _time.GetUtcNow() + delay;
        await SaveAsync(task.Id, p => p with { Failures = failures, Error = message, RetryAt = retryAt, Done = giveUp && stage == ReportStage.Completed }, CancellationToken.None);
        if (giveUp) return;
        _ = Task.Delay(delay, _time, ct).ContinueWith(t => { if (!t.IsCanceled) Schedule(task.Id, force: true); }, TaskScheduler.Default);
    }

    private Task<ReviewTask?> SaveAsync(string id, Func<ReportProgress, ReportProgress> change, CancellationToken ct) =>
        _store.UpdateAsync(id, t => t with { Reporting = change(t.Reporting) }, ct);

    public override void Dispose()
    {
        _lifecycle.Transitioned -= OnChanged;
        base.Dispose();
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Publishing the {Stage} report of task {TaskId} failed (attempt {Attempt})")]
    private static partial void LogPublishFailed(ILogger logger, string taskId, ReportStage stage, int attempt, Exception e);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "Could not list the tasks whose report is pending")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception e);
}
