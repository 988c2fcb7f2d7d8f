using Microsoft.Extensions.Logging;
using ReviewBot.Agent.Logs;
using ReviewBot.Agent.Processes;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Tasks;

/// <summary>
/// <c>filter: new</c> (<see cref="Contracts.Agents.LinterSpec.Baseline"/>): after the head run, the same linter runs the
/// same way on the merge base of base and head — a second worktree of the task's repository, the changed files that
/// exist there (a renamed file under its old path) — and its findings go to the server beside the head's, each with its line's text. The server decides
/// which head findings are new (the fingerprints live there). The base's findings are kept in the agent's
/// <see cref="BaselineCache"/> per merge base, linter and command, so the next push on the same base does not lint the
/// base again. Whatever stops the base run (no merge base, checkout, timeout, output that does not parse) leaves the
/// base's findings out, with the reason: the server then reports every finding and says so.
/// </summary>
internal sealed partial class TaskRunner
{
    private async Task<(IReadOnlyList<Finding>? Findings, string? Note)> BaselineAsync(
        GitWorkspace workspace, IReadOnlyList<string> files, Action<string> notice, LogStreamer log, SecretMasker masker, CancellationToken cancellationToken)
    {
        if (workspace.ChangedFiles is null)
        {
            return (null, "the task has no base commit to compare with");
        }

        var mergeBase = await workspace.MergeBaseAsync(_assignment.Source, cancellationToken).ConfigureAwait(false);
        if (mergeBase is null)
        {
            return (null, "the base and the head share no history");
        }

        var cache = _cache.Baselines;
        var entry = cache.PathOf(mergeBase, Linter, ModulePaths.ForLinter(Linter, files));
        if (cache.TryRead(entry) is { } cached)
        {
            notice($"baseline: {cached.Count} finding(s) of {Linter.Name} on the merge base {mergeBase} from the agent's cache");
            Log.BaselineCacheHit(_logger, TaskId, Linter.Name, mergeBase);
            return (cached, $"merge base {mergeBase[..Math.Min(7, mergeBase.Length)]}, from the agent's cache");
        }

        Log.BaselineCacheMiss(_logger, TaskId, Linter.Name, mergeBase);
        notice($"baseline: running {Linter.Name} on the merge base {mergeBase}");
        string checkout;
        try
        {
            checkout = await workspace.CheckoutBaseAsync(mergeBase, cancellationToken).ConfigureAwait(false);
        }
        catch (GitException ex)
        {
            notice($"baseline: could not check out the merge base: {ex.Message}");
            return (null, $"the merge base could not be checked out: {ex.Message}");
        }

        // A file the change renamed is linted under its old path, as the base has it.
        var renames = await workspace.RenamesAsync(cancellationToken).ConfigureAwait(false);
        var present = files.Select(f => renames.GetValueOrDefault(f) ?? f).Where(f => File.Exists(Path.Combine(checkout, f))).Distinct(StringComparer.Ordinal).ToList();
        var (findings, problem) = present.Count == 0 ? ([], null) : await LintBaseAsync(workspace, checkout, mergeBase, present, log, masker, cancellationToken).ConfigureAwait(false);
        if (findings is null)
        {
            notice($"baseline: {problem}");
            return (null, problem);
        }

        cache.Write(entry, findings);
        notice($"baseline: {findings.Count} finding(s) on the merge base");
        return (findings, $"merge base {mergeBase[..Math.Min(7, mergeBase.Length)]}");
    }

    /// <summary>One run of the linter in <paramref name="checkout"/>; the findings with their line texts, or why there are none.</summary>
    private async Task<(IReadOnlyList<Finding>? Findings, string? Problem)> LintBaseAsync(
        GitWorkspace workspace, string checkout, string mergeBase, IReadOnlyList<string> files, LogStreamer log, SecretMasker masker, CancellationToken cancellationToken)
    {
        var artifact = Directory.CreateDirectory(Path.Combine(workspace.TaskDirectory, "base-artifact")).FullName;
        var filesList = Path.Combine(workspace.TaskDirectory, "base-changed-files.txt");
        var linterFiles = ModulePaths.ForLinter(Linter, files);
        await File.WriteAllLinesAsync(filesList, linterFiles, cancellationToken).ConfigureAwait(false);

        var workingDirectory = Path.GetFullPath(Path.Combine(checkout, Linter.WorkDir ?? ""));
        if (!Directory.Exists(workingDirectory))
        {
            return (null, $"linter workDir '{Linter.WorkDir}' is not a directory of the merge base");
        }

        var environment = new Dictionary<string, string>(TaskCommand.Environment(_assignment, artifact, filesList, checkout, _options.AgentEnvironment))
        {
            ["REVIEWBOT_BASELINE_SHA"] = mergeBase,
        };
        var executable = CommandResolver.Resolve(Linter.Command[0], workingDirectory, environment.GetValueOrDefault("PATH"));
        if (executable is null)
        {
            return (null, $"command not found on the merge base: {Linter.Command[0]}");
        }

        var arguments = Linter.Command.Skip(1).Concat(TaskCommand.ExpandArguments(Linter.Args, linterFiles, artifact)).ToList();
        var limits = _options.Limits(Linter.Timeout);
        var (outcome, startError) = await RunProcessAsync(
            new ProcessSpec(executable, arguments, workingDirectory, environment), limits, log.Write, cancellationToken).ConfigureAwait(false);
        if (outcome is null)
        {
            return (null, $"the linter did not start on the merge base: {startError}");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (outcome.End == ProcessEnd.TimedOut)
        {
            return (null, $"the run on the merge base timed out after {limits.Timeout}");
        }

        var text = masker.Apply(ReadArtifacts(artifact) ?? outcome.Output);
        try
        {
            var parsed = ModulePaths.ToRepository(Linter, _options.Parse(Linter.Format, text, ModulePaths.ParseRoot(Linter, checkout, workingDirectory)), checkout);
            return (LineTexts.Attach(parsed.Findings, checkout), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, $"the output on the merge base could not be parsed as '{Linter.Format}': {ex.Message}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(331, LogLevel.Information, "Task {TaskId}: baseline of {Linter} on merge base {MergeBase} read from the agent's cache.", EventName = "BaselineCacheHit")]
        public static partial void BaselineCacheHit(ILogger logger, string taskId, string linter, string mergeBase);

        [LoggerMessage(332, LogLevel.Information, "Task {TaskId}: baseline of {Linter} on merge base {MergeBase} not cached; linting the merge base.", EventName = "BaselineCacheMiss")]
        public static partial void BaselineCacheMiss(ILogger logger, string taskId, string linter, string mergeBase);
    }
}
