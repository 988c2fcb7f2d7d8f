using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;

namespace ReviewBot.Functions.Jobs;

/// <summary>A job as the API shows it: the definition in the shape it is written (YAML <c>jobs:</c> entry or API body),
/// secrets as "***", and what the API adds (origin, next run, execution count, last run). PUT accepts it back.</summary>
public sealed record JobView(
    string Name, string Origin, bool Enabled, string TriggerKind, object Trigger, string Repository, string? CloneUrl, string Ref,
    string NodeLabels, IReadOnlyList<JobStep> Steps, IReadOnlyDictionary<string, string> Variables, IReadOnlyDictionary<string, string> Secrets,
    string Timeout, int Retries, string Concurrency, string Misfire, DateTimeOffset? NextRun, long ExecutionCount, JobLastRun? LastRun)
{
    public static JobView Of(JobDefinition job, JobRuns? runs, string? lastState, DateTimeOffset now) => new(
        job.Name, job.Origin == JobOrigin.Api ? "api" : "config", job.Enabled, Camel(job.Trigger.Kind.ToString()), TriggerShape(job.Trigger),
        job.Repository, job.CloneUrl, job.Ref, job.NodeLabels, job.Steps, job.Variables,
        job.Secrets.ToDictionary(s => s.Key, _ => JobReader.Hidden, StringComparer.Ordinal),
        Duration(job.Timeout), job.Retries, Camel(job.Concurrency.ToString()), Camel(job.Misfire.ToString()),
        job.Enabled && job.Trigger.Kind == JobTriggerKind.Cron && CronSchedule.TryOf(job.Trigger) is { } schedule ? schedule.Next(now, 1).FirstOrDefault() as DateTimeOffset? : null,
        runs?.Count ?? 0, runs?.LastTaskId is { } id ? new JobLastRun(id, runs.LastRunAt, lastState) : null);

    /// <summary>The trigger as written: "manual", { cron, timeZone }, { prMerged: { source, target } }, { tagCreated }, { push }, { poll }.</summary>
    public static object TriggerShape(JobTrigger t) => t.Kind switch
    {
        JobTriggerKind.Cron => t.TimeZone is null ? new Dictionary<string, object?> { ["cron"] = t.Cron } : new Dictionary<string, object?> { ["cron"] = t.Cron, ["timeZone"] = t.TimeZone },
        JobTriggerKind.PrMerged => new Dictionary<string, object?> { ["prMerged"] = new Dictionary<string, object?> { ["source"] = t.SourceBranch, ["target"] = t.TargetBranch } },
        JobTriggerKind.TagCreated => new Dictionary<string, object?> { ["tagCreated"] = t.Tag },
        JobTriggerKind.Push => new Dictionary<string, object?> { ["push"] = t.Branch },
        JobTriggerKind.Poll => new Dictionary<string, object?> { ["poll"] = t.Branch },
        _ => "manual",
    };

    /// <summary>"1h30m", "45s"; "00:00:01.5000000" when there is a fraction of a second.</summary>
    public static string Duration(TimeSpan t) =>
        t.Ticks % TimeSpan.TicksPerSecond != 0 ? t.ToString("c")
        : string.Concat((int)t.TotalHours > 0 ? $"{(int)t.TotalHours}h" : "", t.Minutes > 0 ? $"{t.Minutes}m" : "", t.Seconds > 0 || t == TimeSpan.Zero ? $"{t.Seconds}s" : "");

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <param name="State">The task's state now ("succeeded", "running", …); null when the task is gone.</param>
public sealed record JobLastRun(string TaskId, DateTimeOffset? At, string? State);
