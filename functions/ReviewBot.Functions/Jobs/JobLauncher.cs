using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Jobs;

/// <summary>How a firing ended.</summary>
public enum LaunchOutcome
{
    /// <summary>A new task was queued.</summary>
    Created,
    /// <summary>This firing had already created its task (another scheduler, a redelivery): nothing new.</summary>
    AlreadyFired,
    /// <summary><see cref="ConcurrencyPolicy.Forbid"/> and a run is still active: skipped.</summary>
    SkippedWhileActive,
}

public sealed record Launch(LaunchOutcome Outcome, string TaskId, int Replaced = 0);

/// <summary>Where a firing's run clones from when the event (or the run it retries) says: the code host whose clone
/// credential the agent gets (<see cref="ReviewTask.Host"/>), and the repository's clone URL on it, already checked
/// against that host's settings.</summary>
/// <param name="CloneUrl">Used when the job names no clone URL of its own; null = <see cref="IJobSources"/>.</param>
/// <param name="AllowLocal">What the host's check said of <paramref name="CloneUrl"/> (a local path, for tests and demos):
/// a URL from a webhook gets the agent's wider fetch protocols only then, not as an admin-named one does.</param>
public sealed record JobRunSource(string Host, string? CloneUrl, long? ProjectId = null, long? InstallationId = null, bool AllowLocal = false);

/// <summary>
/// Turns a job firing into a task routed like any other. The task id is <see cref="TaskIds.ForJob"/>(job, firing
/// key), so concurrent firings of one tick create one task. The concurrency policy is applied first: forbid skips
/// while a run of the job is active, replace cancels the active runs (the agent kills their process trees).
/// The job's execution counter is incremented only by the caller whose insert created the task, so a firing seen by
/// two instances counts once. A run clones from the job's own clone URL, else from the event's repository
/// (<see cref="JobRunSource"/>), else from where <see cref="IJobSources"/> says.
/// </summary>
public sealed partial class JobLauncher(TaskStore store, TaskLifecycle tasks, IJobSources sources, JobStore jobs, TimeProvider time, ILogger<JobLauncher> log) : IJobRunCounter
{
    public async Task<Launch> FireAsync(JobDefinition job, JobFiring firing, CancellationToken ct, int attempt = 0, JobRunSource? on = null)
    {
        var id = TaskIds.ForJob(job.Name, firing.Key, attempt);
        if (await store.GetAsync(id, ct) is not null) return new Launch(LaunchOutcome.AlreadyFired, id);
        var replaced = 0;
        if (job.Concurrency != ConcurrencyPolicy.Allow && attempt == 0)
        {
            var active = (await store.ActiveOfJobAsync(job.Name, ct)).Where(t => t.State is TaskState.Queued or TaskState.Assigned or TaskState.Running).ToList();
            if (active.Count > 0 && job.Concurrency == ConcurrencyPolicy.Forbid) return new Launch(LaunchOutcome.SkippedWhileActive, id);
            foreach (var run in active)
                if (await tasks.CancelAsync(run.Id, $"replaced by a newer run of {job.Name} ({firing.Description})", ct)) replaced++;
        }

        var task = new ReviewTask
        {
            Id = id,
            Repository = job.Repository,
            CloneUrl = job.CloneUrl ?? on?.CloneUrl ?? sources.CloneUrlFor(job.Repository),
            // An admin named the job's or the configured source (configuration file or jobs API); an event's URL is
            // allowed what its host's check allowed. The ref may come from a webhook, checked there.
            AllowLocal = job.CloneUrl is null && on?.CloneUrl is not null ? on.AllowLocal : true,
            HeadSha = firing.Sha ?? "",
            HeadRef = firing.Ref ?? job.Ref,
            Linter = new LinterSpec(job.Name, [], [], new Dictionary<string, string>(), null, "none", [], job.Timeout),
            Job = new JobSpec(job.Name, job.Steps, job.Variables, job.Secrets, job.Timeout),
            JobName = job.Name,
            JobAttempt = attempt,
            JobFiringKey = firing.Key,
            NodeLabels = job.NodeLabels,
            Trigger = firing.Description,
            DeliveryId = firing.Key,
            CreatedAt = time.GetUtcNow(),
            Reporting = ReportProgress.Off("a job's run is not reported on a pull request"),
        };
        if (on is not null) task = task with { Host = on.Host, ProjectId = on.ProjectId, InstallationId = on.InstallationId };
        if (!await tasks.CreateAsync(task, ct)) return new Launch(LaunchOutcome.AlreadyFired, id, replaced);
        await CountAsync(job.Name, id, task.CreatedAt, ct);
        return new Launch(LaunchOutcome.Created, id, replaced);
    }

    /// <summary>Counts a created task of <paramref name="job"/>. The task exists whatever happens here: a failure to count
    /// is logged, not thrown, so no caller fires again for it.</summary>
    public async Task CountAsync(string job, string taskId, DateTimeOffset at, CancellationToken ct)
    {
        try { await jobs.RecordRunAsync(job, taskId, at, ct); }
        catch (Exception e) when (e is not OperationCanceledException) { LogCountFailed(log, e, job, taskId); }
    }

    [LoggerMessage(EventId = 1150, Level = LogLevel.Warning, Message = "Run {TaskId} of job {Job} was created but not counted")]
    private static partial void LogCountFailed(ILogger logger, Exception e, string job, string taskId);
}
