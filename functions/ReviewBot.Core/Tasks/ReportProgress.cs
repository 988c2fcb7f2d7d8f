using System.Text.Json.Serialization;

namespace ReviewBot.Core.Tasks;

/// <summary>How far a task's report has been published; stages only move forward.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportStage>))]
public enum ReportStage
{
    None,

    /// <summary>An untrusted pull request's task waits for approval: GitHub check run completed with
    /// <c>action_required</c>, a pending commit status elsewhere (stored by name, so inserting it here is safe).</summary>
    ActionRequired,
    Queued,
    InProgress,
    Completed,
}

/// <summary>
/// A task's publishing state on its code host, stored with the task (ETag-checked like every change to it), so a
/// report interrupted by a crash resumes where it stopped: the check run is not created twice and annotations
/// already sent are not sent again. <see cref="Done"/> is true when there is nothing (more) to publish.
/// </summary>
public sealed record ReportProgress
{
    /// <summary>Nothing to publish (no code host credentials, or a task that is not reported).</summary>
    public static ReportProgress Off(string why) => new() { Done = true, Note = why };

    public ReportStage Stage { get; init; }
    public bool Done { get; init; }

    /// <summary>GitHub check run id once created; null with a commit status instead.</summary>
    public long? CheckRunId { get; init; }

    /// <summary>The check run that said "waiting for approval" (completed, action_required). Once approved, the task gets
    /// a new check run (<see cref="CheckRunId"/>): GitHub shows the newest run of a name on a commit.</summary>
    public long? WaitingCheckRunId { get; init; }

    /// <summary>Annotations already appended to the check run.</summary>
    public int AnnotationsSent { get; init; }

    /// <summary>Failed publishing attempts in a row; reset on success.</summary>
    public int Failures { get; init; }

    /// <summary>After a failure, the next attempt is not made before this time (changes to the task do not hurry it).</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>The last publishing error, for the dashboard; cleared on success.</summary>
    public string? Error { get; init; }

    /// <summary>What was published, in words ("check run 17: neutral; 3 comments posted, 1 removed").</summary>
    public string? Note { get; init; }

    /// <summary>The stage a task in <paramref name="state"/> should be shown at.</summary>
    public static ReportStage Wanted(Tasks.TaskState state) => state switch
    {
        Tasks.TaskState.Waiting => ReportStage.ActionRequired,
        Tasks.TaskState.Queued or Tasks.TaskState.Assigned => ReportStage.Queued,
        Tasks.TaskState.Running => ReportStage.InProgress,
        _ => ReportStage.Completed,
    };
}
