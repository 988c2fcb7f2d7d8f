using System.Threading.Channels;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// Retries a job's run that failed, errored or timed out (not one that was cancelled) while its attempt is below the
/// job's <see cref="JobDefinition.Retries"/>: the same firing fires again with attempt + 1. The retry's task id derives
/// from (job, firing, attempt), so two instances seeing the same end create one retry. Driven by the lifecycle's
/// transitions (<see cref="TaskLifecycle.Transitioned"/>), and at start by a scan of recently ended runs, so a crash
/// between "ended" and "retried" only delays the retry.
/// The ended task's history records the retry. A job deleted or disabled since is not retried.
/// </summary>
public sealed partial class JobRetries : BackgroundService
{
    /// <summary>How far back the start-up scan looks for ended runs that may lack their retry.</summary>
    public static readonly TimeSpan ScanWindow = TimeSpan.FromDays(1);

    private readonly TaskStore _store;
    private readonly TaskLifecycle _lifecycle;
    private readonly IJobCatalog _catalog;
    private readonly JobLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly ILogger<JobRetries> _log;
    private readonly Channel<ReviewTask> _ended = Channel.CreateUnbounded<ReviewTask>();

    public JobRetries(TaskStore store, TaskLifecycle lifecycle, IJobCatalog catalog, JobLauncher launcher, TimeProvider time, ILogger<JobRetries> log)
    {
        _store = store;
        _lifecycle = lifecycle;
        _catalog = catalog;
        _launcher = launcher;
        _time = time;
        _log = log;
        _lifecycle.Transitioned += OnTransitioned;
    }

    private static bool Retryable(ReviewTask t) => t.JobName is not null && t.State is TaskState.Failed or TaskState.Errored or TaskState.TimedOut;

    private void OnTransitioned(TaskState? from, ReviewTask task)
    {
        if (Retryable(task)) _ended.Writer.TryWrite(task);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var since = _time.GetUtcNow() - ScanWindow;
            foreach (var task in (await _store.EndedJobRunsSinceAsync(since, stoppingToken)).Where(Retryable)) _ended.Writer.TryWrite(task);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogScanFailed(_log, e);
        }

        await foreach (var task in _ended.Reader.ReadAllAsync(stoppingToken))
        {
            try { await RetryAsync(task, stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { LogRetryFailed(_log, e, task.Id); }
        }
    }

    /// <summary>Queues the next attempt of <paramref name="ended"/>'s firing if the job allows one; the retry's id, or null.</summary>
    public async Task<string?> RetryAsync(ReviewTask ended, CancellationToken ct)
    {
        if (!Retryable(ended) || await _catalog.GetAsync(ended.JobName!, ct) is not { Enabled: true } job || ended.JobAttempt >= job.Retries) return null;
        var attempt = ended.JobAttempt + 1;
        var firing = new JobFiring(ended.JobFiringKey ?? ended.Id, $"retry {attempt} of {job.Retries} after {(ended.State == TaskState.TimedOut ? "timed-out" : ended.State.Name())} run {ended.Id}",
            ended.HeadRef, ended.HeadSha is { Length: > 0 } sha ? sha : null);
        // The same firing: on the ended run's host and clone URL (a job naming its own still clones from that).
        var launch = await _launcher.FireAsync(job, firing, ct, attempt, new JobRunSource(ended.Host, ended.CloneUrl, ended.ProjectId, ended.InstallationId, ended.AllowLocal));
        if (launch.Outcome != LaunchOutcome.Created) return null;
        var note = $"retry {attempt} of {job.Retries} queued as task {launch.TaskId}";
        await _lifecycle.NoteOnceAsync(ended.Id, note, ct);
        LogRetried(_log, ended.Id, launch.TaskId, attempt, job.Retries);
        return launch.TaskId;
    }

    public override void Dispose()
    {
        _lifecycle.Transitioned -= OnTransitioned;
        base.Dispose();
    }

    [LoggerMessage(EventId = 1151, Level = LogLevel.Information, Message = "Run {TaskId} ended badly: retry {Attempt} of {Retries} queued as {RetryId}")]
    private static partial void LogRetried(ILogger logger, string taskId, string retryId, int attempt, int retries);

    [LoggerMessage(EventId = 1152, Level = LogLevel.Warning, Message = "Could not retry run {TaskId}")]
    private static partial void LogRetryFailed(ILogger logger, Exception e, string taskId);

    [LoggerMessage(EventId = 1153, Level = LogLevel.Warning, Message = "Scan for job runs awaiting a retry failed")]
    private static partial void LogScanFailed(ILogger logger, Exception e);
}
