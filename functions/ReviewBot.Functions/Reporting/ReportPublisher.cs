using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Reporting;

/// <summary>
/// Keeps each task's report on its code host in step with the task: queued → in progress → completed. Driven by
/// the task store's change events (every state change this instance writes) and, at start, by the tasks whose
/// report is still pending — so a crash between "task done" and "review posted" only delays the review.
/// <para>Invariants: one publish per task at a time (a task changed while being published is published again
/// after); a stage is published at most once successfully (the progress is stored with the task, ETag-checked);
/// failures are retried with a doubling delay up to <see cref="ReportingOptions.MaxAttempts"/>, then the error
/// stays on the task. A dry run (<c>report: none</c>) records its preview on the task and posts nothing.</para>
/// </summary>
public sealed partial class ReportPublisher : BackgroundService
{
    private readonly TaskStore _store;
    private readonly IReadOnlyDictionary<string, ICodeHostReporter> _hosts;
    private readonly IOptions<ReportingOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ReportPublisher> _log;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly Lock _gate = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private readonly HashSet<string> _again = new(StringComparer.Ordinal);
    private readonly HashSet<string> _forced = new(StringComparer.Ordinal);

    public ReportPublisher(TaskStore store, IEnumerable<ICodeHostReporter> hosts, IOptions<ReportingOptions> options, TimeProvider time, ILogger<ReportPublisher> log)
    {
        _store = store;
        _hosts = hosts.ToDictionary(h => h.Host, StringComparer.Ordinal);
        _options = options;
        _time = time;
        _log = log;
        _store.Changed += OnChanged;
    }

    /// <summary>Whether a new task on <paramref name="host"/> with <paramref name="settings"/> gets reported.
    /// Null when it will be; otherwise the reason, recorded as the task's report note.</summary>
    public string? WhyNotReported(string host, ReportSettings settings) =>
        settings.Mode == ReportMode.None ? null
        : _hosts.TryGetValue(host, out var reporter) && reporter.Enabled ? null
        : $"not reported: no {host} credentials are configured";

    /// <summary>A task changed: publish it, unless a failed attempt set a later retry time (saving that failure is
    /// itself a change, which must not turn the backoff into a loop).</summary>
    private void OnChanged(ReviewTask task)
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
            foreach (var pending in await _store.ListAsync(new TaskQuery(ReportPending: true, Top: int.MaxValue), stoppingToken))
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
        try
        {
            progress = task.Report.Mode == ReportMode.None
                ? await DryRunAsync(task, stage, ct)
                : await PublishStageAsync(task, stage, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await FailedAsync(task, stage, e, ct);
            return;
        }
        if (await SaveAsync(id, _ => progress with { Failures = 0, Error = null, RetryAt = null }, ct) is { } saved && NeedsPublishing(saved))
            Schedule(id);
    }

    private async Task<ReportProgress> PublishStageAsync(ReviewTask task, ReportStage stage, CancellationToken ct)
    {
        if (!_hosts.TryGetValue(task.Host, out var reporter) || !reporter.Enabled)
            return ReportProgress.Off($"not reported: no {task.Host} credentials are configured");
        var input = await InputAsync(task, stage, ct);
        var progress = await reporter.PublishAsync(task, stage, input,
            p => SaveAsync(task.Id, _ => p, ct), ct);
        return progress with { Stage = stage, Done = stage == ReportStage.Completed };
    }

    private async Task<ReportProgress> DryRunAsync(ReviewTask task, ReportStage stage, CancellationToken ct)
    {
        if (stage != ReportStage.Completed) return task.Reporting with { Stage = stage, Note = "dry run (report: none): nothing is posted" };
        var input = await InputAsync(task, stage, ct);
        var changes = input.Result?.Diff is { } diff ? ChangedLines.FromGitDiff(diff) : null;
        var plan = ReportPlanner.Plan(task.Linter.Name, task.State.EndedAs(), input.Result?.Findings ?? [], changes, task.Report);
        var preview = Previews.Of(task, plan, input);
        if (input.Result is { } result) await _store.SaveResultAsync(task.Id, result with { Preview = preview }, ct);
        return task.Reporting with
        {
            Stage = stage, Done = true,
            Note = $"dry run (report: none): would have posted {preview.Conclusion.ToString().ToLowerInvariant()} with {preview.Annotations} annotation(s) and {preview.Comments.Count} comment(s)",
        };
    }

    private async Task<ReportInput> InputAsync(ReviewTask task, ReportStage stage, CancellationToken ct) =>
        new(stage == ReportStage.Completed ? await _store.GetResultAsync(task.Id, ct) : null, _options.Value.TaskLink(task.Id), _options.Value.MaxComments);

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
        _store.Changed -= OnChanged;
        base.Dispose();
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Publishing the {Stage} report of task {TaskId} failed (attempt {Attempt})")]
    private static partial void LogPublishFailed(ILogger logger, string taskId, ReportStage stage, int attempt, Exception e);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "Could not list the tasks whose report is pending")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception e);
}
