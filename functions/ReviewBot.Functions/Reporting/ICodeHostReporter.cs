using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Reporting;

/// <summary>
/// Renders and posts a task's report on one code host (GitHub, GitLab). What to post is decided before it is called,
/// once for every host (<see cref="ReportPipeline"/>: the changed lines, the plan, whether line comments are posted at
/// all, the notes about the ones that could not be); the host only turns that into its own objects (check runs,
/// commit statuses, review comments, discussions, notes). Every call must be idempotent and resume from
/// <see cref="ReviewTask.Reporting"/>: a stage may be published again after a crash or a failure.
/// </summary>
public interface ICodeHostReporter
{
    /// <summary><see cref="CodeHostNames.GitHub"/>, <see cref="CodeHostNames.GitLab"/>, …: the tasks it reports.</summary>
    string Host { get; }

    /// <summary>The host's name in texts people read ("GitHub").</summary>
    string DisplayName { get; }

    /// <summary>False when the host has no credentials configured: tasks are then not reported there.</summary>
    bool Enabled { get; }

    /// <summary>An untrusted pull request's task waits for approval. Called only when the report posts checks.</summary>
    Task<ReportProgress> ActionRequiredAsync(ReviewTask task, string? taskLink, CancellationToken ct);

    /// <summary>The task waits for an agent. Called only when the report posts checks.</summary>
    Task<ReportProgress> QueuedAsync(ReviewTask task, string? taskLink, CancellationToken ct);

    /// <summary>The task runs. Called only when the report posts checks.</summary>
    Task<ReportProgress> InProgressAsync(ReviewTask task, string? taskLink, CancellationToken ct);

    /// <summary>The task's change request as the host shows it now; null when the host cannot say (no project id).
    /// Called once per completed report, only for a task with a change request.</summary>
    Task<HostChange?> ChangeAsync(ReviewTask task, CancellationToken ct);

    /// <summary>Posts the run's line comments, and closes this linter's comments whose finding is gone. Called only
    /// when the report posts a review, the task has a change request and its linter ran.</summary>
    Task<CommentOutcome> CommentAsync(ReviewTask task, CompletedReport report, CancellationToken ct);

    /// <summary>Posts the result (summary, conclusion) with <see cref="CompletedReport.Notes"/>, after the comments.
    /// The progress's <see cref="ReportProgress.Note"/> says what was posted (null: nothing).
    /// <paramref name="checkpoint"/> stores intermediate progress (annotations sent) of a long completion.</summary>
    Task<ReportProgress> CompletedAsync(ReviewTask task, CompletedReport report, Func<ReportProgress, Task> checkpoint, CancellationToken ct);

    /// <summary>The change request's one summary comment (<c>summary:</c>): reads the one posted (null when none),
    /// asks <paramref name="update"/> for its new text, and creates or edits it in place; nothing when the text is null
    /// or unchanged. Returns what was done in words, or null. A host without it posts no summary comment.</summary>
    Task<string?> SummaryCommentAsync(ReviewTask task, Func<string?, string?> update, CancellationToken ct) => Task.FromResult<string?>(null);
}

/// <summary>What a task's report needs that is loaded once per publish.</summary>
/// <param name="Result">The completed task's result (findings, the agent's diff); null before completion.</param>
/// <param name="TaskLink">ReviewBot's page of the task, when it has a public address.</param>
/// <param name="MaxComments">Most line comments one run posts (<see cref="ReportingOptions.MaxComments"/>).</param>
public sealed record ReportInput(TaskResultDocument? Result, string? TaskLink, int MaxComments);
