using System.Globalization;
using Microsoft.Extensions.Logging;
using ReviewBot.Agent.Processes;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Hooks;

/// <summary>What the supervisor asks of the job hooks (<see cref="TaskHooks"/>); a test may stand in.</summary>
internal interface ITaskHooks
{
    /// <summary>Runs the pre-task hook before the task is accepted, within <paramref name="limit"/>; the reason to
    /// refuse the task (the hook failed, timed out or could not start), or null to accept it.</summary>
    Task<string?> BeforeAsync(TaskAssignment assignment, TimeSpan limit, CancellationToken cancellationToken);

    /// <summary>Runs the post-task hook after the task's result was delivered (or dropped). Its exit code is only logged.</summary>
    Task AfterAsync(TaskAssignment assignment, TaskResult result, CancellationToken cancellationToken);
}

/// <summary>
/// <c>--hook-pre-task</c> / <c>--hook-post-task</c> (as Buildkite's and GitHub's runners have them): executables run in
/// the work dir, without a shell, with the agent's environment minus its own <c>REVIEWBOT_*</c> settings (the token
/// stays out) plus the task's metadata: <c>REVIEWBOT_TASK_ID</c>, <c>REVIEWBOT_ATTEMPT</c>, <c>REVIEWBOT_NODE_ID</c>,
/// <c>REVIEWBOT_REPOSITORY</c>, <c>REVIEWBOT_SHA</c>, <c>REVIEWBOT_REF</c>, <c>REVIEWBOT_BASE_SHA</c>,
/// <c>REVIEWBOT_PULL_REQUEST</c>, <c>REVIEWBOT_LINTER</c> or <c>REVIEWBOT_JOB</c>; the post hook also gets
/// <c>REVIEWBOT_TASK_OUTCOME</c> and <c>REVIEWBOT_EXIT_CODE</c>. A pre hook that exits non-zero refuses the task with
/// its last line of output as the reason; it must finish within most of the assignment's accept timeout.
/// </summary>
internal sealed partial class TaskHooks(string? preTask, string? postTask, string nodeId, string workDir, ILogger<TaskHooks> logger) : ITaskHooks
{
    /// <summary>The post hook's own limit: it runs while the task still holds its slot.</summary>
    public static readonly TimeSpan PostTaskTimeout = TimeSpan.FromMinutes(5);

    private const int MaxReasonLength = 300;

    public async Task<string?> BeforeAsync(TaskAssignment assignment, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (preTask is null)
        {
            return null;
        }

        var (outcome, error) = await RunAsync(preTask, Environment(assignment, result: null), limit, cancellationToken).ConfigureAwait(false);
        string? refusal = error is not null ? $"pre-task hook could not run: {error}"
            : outcome!.End == ProcessEnd.TimedOut ? $"pre-task hook did not finish within {limit.TotalSeconds:0.#} s"
            : outcome.End == ProcessEnd.Cancelled ? "pre-task hook was cancelled (the agent is stopping)"
            : outcome.ExitCode != 0 ? $"pre-task hook exited {outcome.ExitCode}{LastLine(outcome.Output)}"
            : null;
        if (refusal is null)
        {
            Log.PreTaskPassed(logger, assignment.TaskId);
        }

        return refusal;
    }

    public async Task AfterAsync(TaskAssignment assignment, TaskResult result, CancellationToken cancellationToken)
    {
        if (postTask is null)
        {
            return;
        }

        var (outcome, error) = await RunAsync(postTask, Environment(assignment, result), PostTaskTimeout, cancellationToken).ConfigureAwait(false);
        if (error is not null || outcome!.End != ProcessEnd.Exited || outcome.ExitCode != 0)
        {
            Log.PostTaskFailed(logger, assignment.TaskId, error ?? (outcome!.End == ProcessEnd.Exited ? $"exit {outcome.ExitCode}{LastLine(outcome.Output)}" : outcome.End.ToString()));
        }
        else
        {
            Log.PostTaskPassed(logger, assignment.TaskId);
        }
    }

    private async Task<(ProcessOutcome? Outcome, string? Error)> RunAsync(
        string hook, IReadOnlyDictionary<string, string> environment, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await ChildProcess.RunAsync(
                new ProcessSpec(hook, [], workDir, environment),
                new ProcessLimits { Timeout = limit, KillGrace = TimeSpan.FromSeconds(2), MaxCapturedChars = 64 * 1024 },
                _ => { },
                cancellationToken).ConfigureAwait(false);
            return (outcome, null);
        }
        catch (ProcessStartException e)
        {
            return (null, e.Message);
        }
    }

    private Dictionary<string, string> Environment(TaskAssignment assignment, TaskResult? result)
    {
        var environment = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var entry in System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
        {
            var name = (string)entry.Key;
            if (!name.StartsWith("REVIEWBOT_", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = (string?)entry.Value ?? "";
            }
        }

        var source = assignment.Source;
        environment["REVIEWBOT_TASK_ID"] = assignment.TaskId;
        environment["REVIEWBOT_ATTEMPT"] = assignment.Attempt.ToString(CultureInfo.InvariantCulture);
        environment["REVIEWBOT_NODE_ID"] = nodeId;
        environment["REVIEWBOT_REPOSITORY"] = source.Repository;
        environment["REVIEWBOT_SHA"] = source.HeadSha;
        environment["REVIEWBOT_REF"] = source.HeadRef ?? "";
        environment["REVIEWBOT_BASE_SHA"] = source.BaseSha ?? "";
        environment["REVIEWBOT_PULL_REQUEST"] = source.PullRequest?.ToString(CultureInfo.InvariantCulture) ?? "";
        if (assignment.Job is { } job)
        {
            environment["REVIEWBOT_JOB"] = job.Name;
        }
        else
        {
            environment["REVIEWBOT_LINTER"] = assignment.Linter.Name;
        }

        if (result is not null)
        {
            environment["REVIEWBOT_TASK_OUTCOME"] = result.Outcome.ToString().ToLowerInvariant();
            environment["REVIEWBOT_EXIT_CODE"] = result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "";
        }

        return environment;
    }

    /// <summary>": " and the hook's last non-blank line of output (its reason), cut to a length fit for the placement history.</summary>
    private static string LastLine(string output)
    {
        var line = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (string.IsNullOrEmpty(line))
        {
            return "";
        }

        line = new string([.. line.Where(c => !char.IsControl(c))]);
        return ": " + (line.Length > MaxReasonLength ? line[..MaxReasonLength] + "…" : line);
    }

    private static partial class Log
    {
        [LoggerMessage(381, LogLevel.Information, "Task {TaskId}: pre-task hook passed.", EventName = "PreTaskHookPassed")]
        public static partial void PreTaskPassed(ILogger logger, string taskId);

        [LoggerMessage(382, LogLevel.Information, "Task {TaskId}: post-task hook passed.", EventName = "PostTaskHookPassed")]
        public static partial void PostTaskPassed(ILogger logger, string taskId);

        [LoggerMessage(383, LogLevel.Warning, "Task {TaskId}: post-task hook failed: {Reason}.", EventName = "PostTaskHookFailed")]
        public static partial void PostTaskFailed(ILogger logger, string taskId, string reason);
    }
}
