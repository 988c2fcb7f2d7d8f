using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Reporting;

/// <summary>
/// Publishes tasks on one code host (GitHub, GitLab). <see cref="PublishAsync"/> must be idempotent per stage and
/// resume from <see cref="ReviewTask.Reporting"/>: it may be called again for a stage after a crash or a failure.
/// </summary>
public interface ICodeHostReporter
{
    /// <summary><see cref="CodeHostNames.GitHub"/> or <see cref="CodeHostNames.GitLab"/>.</summary>
    string Host { get; }

    /// <summary>False when the host has no credentials configured: tasks are then not reported there.</summary>
    bool Enabled { get; }

    /// <summary>Brings the code host to <paramref name="stage"/> for <paramref name="task"/> and returns the progress.
    /// <paramref name="checkpoint"/> persists intermediate progress (annotations sent) of a long stage.</summary>
    Task<ReportProgress> PublishAsync(ReviewTask task, ReportStage stage, ReportInput input, Func<ReportProgress, Task> checkpoint, CancellationToken ct);
}

/// <summary>What a completed task reports, loaded once per publish.</summary>
public sealed record ReportInput(TaskResultDocument? Result, string? TaskLink, int MaxComments);
