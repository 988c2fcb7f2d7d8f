using System.Text.Json.Serialization;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Core.Jobs;

/// <summary>What starts a job.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobTriggerKind>))]
public enum JobTriggerKind
{
    /// <summary>A Cronos schedule (<see cref="JobTrigger.Cron"/>, seconds optional, in <see cref="JobTrigger.TimeZone"/>).</summary>
    Cron,
    /// <summary>A pull request merged: <c>pull_request</c> closed with merged true, branches matching the regexes.</summary>
    PrMerged,
    /// <summary>A tag created: <c>create</c> with ref_type tag, or <c>release</c> published; tag matching <see cref="JobTrigger.Tag"/>.</summary>
    TagCreated,
    /// <summary>A push to a branch matching <see cref="JobTrigger.Branch"/>.</summary>
    Push,
    /// <summary>A branch watched through the API every minute, for sources without webhooks.</summary>
    Poll,
    /// <summary>Only when asked: <c>POST /api/jobs/{name}/run</c> or the dashboard.</summary>
    Manual,
}

/// <summary>What a job does when a run is due while an earlier run is still active (Kubernetes CronJob's names).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConcurrencyPolicy>))]
public enum ConcurrencyPolicy { Allow, Forbid, Replace }

/// <summary>What a cron job does with the ticks it missed while no scheduler ran: one run now, or none.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MisfirePolicy>))]
public enum MisfirePolicy { FireOnce, Skip }

/// <summary>Where a definition comes from: the YAML file, or the API (which overrides the file's job of the same name).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobOrigin>))]
public enum JobOrigin { Config, Api }

/// <param name="Cron">Cron: five or six fields (seconds first), or a Cronos macro such as <c>@daily</c>.</param>
/// <param name="TimeZone">Cron: an IANA or Windows time zone id; UTC when null.</param>
/// <param name="SourceBranch">PrMerged: regex the pull request's head branch must match; any when null.</param>
/// <param name="TargetBranch">PrMerged: regex the base branch must match; any when null.</param>
/// <param name="Tag">TagCreated: a glob (<c>v*</c>) or a <c>/regex/</c>; any when null.</param>
/// <param name="Branch">Push and Poll: the branch (Poll) or a regex of branches (Push); Poll defaults to the job's ref.</param>
public sealed record JobTrigger(
    JobTriggerKind Kind,
    string? Cron = null,
    string? TimeZone = null,
    string? SourceBranch = null,
    string? TargetBranch = null,
    string? Tag = null,
    string? Branch = null);

/// <summary>
/// A job (the seeds' "plan"): a named definition of work run on an agent in a checkout of a repository's ref.
/// Immutable; the API replaces a definition as a whole.
/// </summary>
public sealed record JobDefinition
{
    public required string Name { get; init; }
    public required JobTrigger Trigger { get; init; }

    /// <summary>"owner/name".</summary>
    public required string Repository { get; init; }

    /// <summary>Where to clone from; by default the repository on the configured GitHub host.</summary>
    public string? CloneUrl { get; init; }

    /// <summary>Branch or tag the job runs on; an event trigger runs on the event's commit instead.</summary>
    public string Ref { get; init; } = "main";

    /// <summary>Label filter text; "" = any agent.</summary>
    public string NodeLabels { get; init; } = "";

    public IReadOnlyList<JobStep> Steps { get; init; } = [];
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Secret variables: in the environment like the others, masked in logs, never returned by the API.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Further attempts after a run fails, errors or times out (not after an abort).</summary>
    public int Retries { get; init; }

    public ConcurrencyPolicy Concurrency { get; init; } = ConcurrencyPolicy.Allow;
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.FireOnce;
    public bool Enabled { get; init; } = true;
    public JobOrigin Origin { get; init; } = JobOrigin.Config;
}

/// <summary>
/// One reason to run a job now. <see cref="Key"/> identifies the firing: the task id is derived from (job, key), so
/// two schedulers firing the same tick, or a redelivered webhook, create one task.
/// </summary>
/// <param name="Key">Cron: the tick as UTC ISO-8601; webhooks: the delivery id; manual: a request id.</param>
/// <param name="Description">For people: "cron 2026-11-23T02:00:00Z", "github create tag v1.2 (delivery …)", "run by admin".</param>
/// <param name="Ref">The ref to run on, when the event names one (the merged base branch, the tag).</param>
/// <param name="Sha">The commit to run on, when the event names one.</param>
public sealed record JobFiring(string Key, string Description, string? Ref = null, string? Sha = null);
