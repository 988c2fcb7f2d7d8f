using System.Text.Json.Serialization;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Review;

namespace ReviewBot.Core.Tasks;

[JsonConverter(typeof(JsonStringEnumConverter<TaskState>))]
public enum TaskState
{
    Queued, Assigned, Running, Succeeded, Failed, Errored, Cancelled, TimedOut, Skipped,

    /// <summary>An untrusted pull request's task waiting for a trusted person's approval (Trust/TrustGate.cs): never
    /// routed; approval moves it to Queued.</summary>
    Waiting,
}

public static class TaskStates
{
    public static bool IsTerminal(this TaskState s) => s is not (TaskState.Queued or TaskState.Assigned or TaskState.Running or TaskState.Waiting);

    /// <summary>The state's name as the API, the metrics and the rollups spell it: lower case ("timedout").</summary>
    public static string Name(this TaskState s) => s.ToString().ToLowerInvariant();

    /// <summary>True for the one write that ended a task: terminal now, and not before (or created ended).</summary>
    public static bool Ended(TaskState? before, TaskState now) => now.IsTerminal() && (before is null || !before.Value.IsTerminal());

    /// <summary>Assigned or Running: an agent holds the lease.</summary>
    public static bool IsHeld(this TaskState s) => s is TaskState.Assigned or TaskState.Running;

    /// <summary>How a report concludes for a run that ended without linting to the end (cancelled, timed out, skipped,
    /// errored → failure); null when the findings decide (<see cref="ReportPlanner.ConclusionFor"/>).</summary>
    public static Conclusion? EndedAs(this TaskState s) => s switch
    {
        TaskState.Cancelled => Conclusion.Cancelled,
        TaskState.TimedOut => Conclusion.TimedOut,
        TaskState.Skipped => Conclusion.Skipped,
        TaskState.Errored => Conclusion.Failure,
        _ => null,
    };

    public static TaskState FromOutcome(TaskOutcome o) => o switch
    {
        TaskOutcome.Succeeded => TaskState.Succeeded,
        TaskOutcome.Failed => TaskState.Failed,
        TaskOutcome.Errored => TaskState.Errored,
        TaskOutcome.TimedOut => TaskState.TimedOut,
        TaskOutcome.Cancelled => TaskState.Cancelled,
        TaskOutcome.Skipped => TaskState.Skipped,
        _ => TaskState.Errored,
    };
}

/// <summary>One entry of a task's state history.</summary>
public sealed record TaskEvent(DateTimeOffset At, TaskState State, string Note);

/// <summary>
/// One unit of work: a linter run on one revision of one repository. Immutable; every change is a new
/// value written with the ETag of the value it was derived from (the store writes it conditionally on <see cref="Version"/>).
/// </summary>
public sealed record ReviewTask
{
    public required string Id { get; init; }
    public required string Repository { get; init; }
    public required string CloneUrl { get; init; }

    /// <summary>The server's configuration or the jobs API named <see cref="CloneUrl"/> (or a webhook did, under
    /// <c>ReviewBot:Webhooks:AllowLocalCloneUrls</c>): the agent may fetch a local path or file:// URL. Sent as
    /// <see cref="SourceSpec.AllowLocal"/>.</summary>
    public bool AllowLocal { get; init; }
    public int? PullRequest { get; init; }
    public required string HeadSha { get; init; }
    public string? HeadRef { get; init; }
    public string? BaseSha { get; init; }
    public string? BaseRef { get; init; }
    public required LinterSpec Linter { get; init; }

    /// <summary>When the pull request was last updated according to the delivery: orders pushes that arrive out of order.</summary>
    public DateTimeOffset? SourceUpdatedAt { get; init; }

    /// <summary>The GitHub App installation the delivery came from, if any (clone tokens, reporting).</summary>
    public long? InstallationId { get; init; }

    /// <summary>Where the change lives: "github" or "gitlab".</summary>
    public string Host { get; init; } = CodeHostNames.GitHub;

    /// <summary>GitLab's numeric project id (API paths use it); null on GitHub.</summary>
    public long? ProjectId { get; init; }

    /// <summary>How the findings are reported (filter, fail level, what is posted), fixed at creation.</summary>
    public ReportSettings Report { get; init; } = ReportSettings.Default;

    /// <summary>How far the report has been published on the code host.</summary>
    public ReportProgress Reporting { get; init; } = new();

    /// <summary>Set for a job's task: the steps the agent runs instead of a linter.</summary>
    public JobSpec? Job { get; init; }

    /// <summary>The job this task runs, for its history and concurrency policy.</summary>
    public string? JobName { get; init; }

    /// <summary>0 for a firing's first run, n for its n-th retry.</summary>
    public int JobAttempt { get; init; }

    /// <summary>The firing that started it (cron tick, delivery id, request id).</summary>
    public string? JobFiringKey { get; init; }

    /// <summary>Code from someone the repository's trust policy does not trust (a fork's pull request): its agent
    /// gets no clone token and no secrets, even once approved, and it is routed by the policy's nodeLabels too.</summary>
    public bool Untrusted { get; init; }

    /// <summary>Label filter text; "" = anywhere.</summary>
    public string NodeLabels { get; init; } = "";

    public TaskState State { get; init; } = TaskState.Queued;

    /// <summary>1-based; incremented when an agent holding the task is lost.</summary>
    public int Attempt { get; init; } = 1;
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Unique per assignment; results carrying another lease are refused.</summary>
    public string? LeaseToken { get; init; }
    public string? NodeId { get; init; }
    public string? NodeName { get; init; }

    /// <summary>Why the task is not placed (while queued), or why it was placed where it was.</summary>
    public string? PlacementReason { get; init; }

    /// <summary>What created the task: "github pull_request.opened", with the delivery id.</summary>
    public string Trigger { get; init; } = "";
    public string? DeliveryId { get; init; }

    /// <summary>The W3C traceparent of the span that created the task (under its delivery's trace): placement, the
    /// agent's run and the report join that trace. Null when no trace was recorded.</summary>
    public string? TraceParent { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    public int? ExitCode { get; init; }
    public string? Error { get; init; }
    public int FindingCount { get; init; }
    public int UnexpectedCount { get; init; }

    public IReadOnlyList<TaskEvent> History { get; init; } = [];

    /// <summary>The store's version of the row this value was read from (its ETag); null for a value not yet stored.
    /// Writes derived from it are conditional on it, so two writers never both win.</summary>
    [JsonIgnore]
    public string? Version { get; init; }

    /// <summary>The store's versions (ETags) of this value's index rows, by row, as far as it knows them: a write that
    /// makes one of them stale removes it on that ETag without reading it first (a row written again since is left).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string>? IndexVersions { get; init; }

    /// <summary>The same task in <paramref name="state"/>, with the change recorded in its history (last 100 kept).</summary>
    public ReviewTask To(TaskState state, string note, DateTimeOffset at)
    {
        var history = History.Count >= 100 ? History.Skip(History.Count - 99) : History;
        return this with { State = state, History = [.. history, new TaskEvent(at, state, note)] };
    }
}

public static class CodeHostNames
{
    public const string GitHub = "github";
    public const string GitLab = "gitlab";
}
