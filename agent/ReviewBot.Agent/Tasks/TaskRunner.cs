using System.Text;
using Microsoft.Extensions.Logging;
using ReviewBot.Agent.Connection;
using ReviewBot.Agent.Logs;
using ReviewBot.Agent.Processes;
using ReviewBot.Agent.Workspaces;
using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Agent.Tasks;

/// <summary>
/// Runs one task and owns everything it creates: the checkout, the artifact dir, the process tree,
/// the log stream and the cancellation. Steps: check out head, pick the changed files the linter
/// reviews (none → <see cref="TaskOutcome.Skipped"/>), run the command in a clean environment
/// with a timeout, parse <c>$ARTIFACT</c> files (or the console output when they are empty), and
/// build the <see cref="TaskResult"/>. A job's task runs its steps instead (<c>TaskRunner.Job.cs</c>).
/// Everything sent (log, error text) has the source token and the job's secrets masked.
/// Delivering the result is the supervisor's job.
/// </summary>
internal sealed partial class TaskRunner : ITaskRunner, IDisposable
{
    private readonly TaskAssignment _assignment;
    private readonly string _nodeId;
    private readonly RepoCache _cache;
    private readonly IAgentServer _server;
    private readonly TaskRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskSpans _spans;
    private string? _cancelReason;

    public TaskRunner(
        TaskAssignment assignment,
        string nodeId,
        RepoCache cache,
        IAgentServer server,
        TaskRunnerOptions options,
        TimeProvider time,
        ILogger<TaskRunner> logger)
    {
        _assignment = assignment;
        _nodeId = nodeId;
        _cache = cache;
        _server = server;
        _options = options;
        _time = time;
        _logger = logger;
        _spans = new TaskSpans(assignment.TraceParent, time);
    }

    private string TaskId => _assignment.TaskId;

    private LinterSpec Linter => _assignment.Linter;

    public void Cancel(string reason)
    {
        Interlocked.CompareExchange(ref _cancelReason, reason, null);
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The task has ended.
        }
    }

    public async Task<TaskResult> RunAsync()
    {
        var started = _time.GetTimestamp();
        var masker = SecretMasker.ForAssignment(_assignment);
        var log = new LogStreamer(_server, _nodeId, TaskId, _assignment.LeaseToken, masker, _options.Log, _time, _logger);
        log.Start();
        void Notice(string line) => log.Write($"[reviewbot-agent] {line}\n");

        using var scope = _logger.BeginScope("task {TaskId} trace {TraceId}", TaskId, TaskSpans.TraceIdOf(_assignment.TraceParent) ?? "-");
        Log.Started(_logger, TaskId, _assignment.Attempt, Linter.Name, _assignment.Source.Repository, Revision);
        Notice($"task {TaskId} (attempt {_assignment.Attempt}) on node {_nodeId}: {(_assignment.Job is null ? "" : "job ")}{Linter.Name} for {_assignment.Source.Repository}@{Revision}");

        TaskResult result;
        try
        {
            result = _assignment.Job is { } job
                ? await RunJobAsync(job, Notice, log, _cancel.Token).ConfigureAwait(false)
                : await RunCoreAsync(Notice, log, masker, _cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            result = Result(TaskOutcome.Cancelled, error: CancelledError());
        }
        catch (Exception ex)
        {
            // A bug or an outage of the machine (disk full): report it instead of losing the task.
            Log.Crashed(_logger, ex, TaskId);
            result = Result(TaskOutcome.Errored, error: masker.Apply($"agent error: {ex.Message}"));
        }

        result = result with { Duration = _time.GetElapsedTime(started), Error = result.Error is { } error ? masker.Apply(error) : null };
        Notice(Summary(result));
        Log.Finished(_logger, TaskId, result.Outcome, result.ExitCode, result.Findings.Count, result.Duration.TotalSeconds);

        using (_spans.Start("agent.upload", "log"))
        {
            using var deliveryLimit = new CancellationTokenSource(_options.LogDeliveryTimeout, _time);
            await log.CompleteAsync(deliveryLimit.Token).ConfigureAwait(false);
        }

        return result with { Spans = _spans.Finish(result) };
    }

    public void Dispose() => _cancel.Dispose();

    private async Task<TaskResult> RunCoreAsync(Action<string> notice, LogStreamer log, SecretMasker masker, CancellationToken cancellationToken)
    {
        var (workspace, failure) = await CheckoutAsync(notice, cancellationToken).ConfigureAwait(false);
        if (workspace is null)
        {
            return failure!;
        }

        await using (workspace.ConfigureAwait(false))
        {
            var changed = workspace.ChangedFiles ?? [];
            var candidates = workspace.ChangedFiles ?? await workspace.ListFilesAsync(cancellationToken).ConfigureAwait(false);
            var files = FileFilter.Match(Linter.Scope is { } scope ? candidates.Where(scope.Counts) : candidates, Linter.Languages);
            notice(workspace.ChangedFiles is null
                ? $"no base commit: reviewing all {candidates.Count} files, {files.Count} match {Languages()}"
                : $"{changed.Count} changed files ({_assignment.Source.BaseSha}...{_assignment.Source.HeadSha}), {files.Count} match {Languages()}");
            if (files.Count == 0)
            {
                return Result(TaskOutcome.Skipped, changedFiles: changed);
            }

            return await RunLinterAsync(workspace, files, changed, notice, log, masker, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TaskResult> RunLinterAsync(
        GitWorkspace workspace,
        IReadOnlyList<string> files,
        IReadOnlyList<string> changed,
        Action<string> notice,
        LogStreamer log,
        SecretMasker masker,
        CancellationToken cancellationToken)
    {
        var artifact = Directory.CreateDirectory(Path.Combine(workspace.TaskDirectory, "artifact")).FullName;
        var filesList = Path.Combine(workspace.TaskDirectory, "changed-files.txt");
        var linterFiles = ModulePaths.ForLinter(Linter, files);
        await File.WriteAllLinesAsync(filesList, linterFiles, cancellationToken).ConfigureAwait(false);

        var workingDirectory = Path.GetFullPath(Path.Combine(workspace.Checkout, Linter.WorkDir ?? ""));
        var relative = Path.GetRelativePath(workspace.Checkout, workingDirectory);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) || !Directory.Exists(workingDirectory))
        {
            return Result(TaskOutcome.Errored, changedFiles: changed, error: $"linter workDir '{Linter.WorkDir}' is not a directory of the repository");
        }

        if (Linter.Command.Count == 0 || string.IsNullOrWhiteSpace(Linter.Command[0]))
        {
            return Result(TaskOutcome.Errored, changedFiles: changed, error: $"linter {Linter.Name} has no command");
        }

        var environment = TaskCommand.Environment(_assignment, artifact, filesList, workspace.Checkout, _options.AgentEnvironment);
        var executable = CommandResolver.Resolve(Linter.Command[0], workingDirectory, environment.GetValueOrDefault("PATH"));
        if (executable is null)
        {
            var error = $"command not found: {Linter.Command[0]} (PATH={environment.GetValueOrDefault("PATH")})";
            notice(error);
            return Result(TaskOutcome.Errored, changedFiles: changed, error: error);
        }

        var arguments = Linter.Command.Skip(1).Concat(TaskCommand.ExpandArguments(Linter.Args, linterFiles, artifact)).ToList();
        notice($"$ {Linter.Command[0]} {string.Join(' ', arguments.Select(Quote))}  (in ./{relative.Replace('\\', '/')})");

        var limits = _options.Limits(Linter.Timeout);
        ProcessOutcome? outcome;
        string? startError;
        using (var lint = _spans.Start("agent.lint", Linter.Name))
        {
            (outcome, startError) = await RunProcessAsync(
                new ProcessSpec(executable, arguments, workingDirectory, environment), limits, log.Write, cancellationToken).ConfigureAwait(false);
            lint.Error = startError ?? (outcome?.End is ProcessEnd.TimedOut ? "timed out" : null);
        }

        if (outcome is null)
        {
            return Result(TaskOutcome.Errored, changedFiles: changed, error: startError);
        }

        if (Interrupted(outcome, limits.Timeout) is { } interrupted)
        {
            return interrupted with { ChangedFiles = changed };
        }

        if (outcome.OutputTruncated)
        {
            notice($"console output beyond {limits.MaxCapturedChars} characters was not kept for parsing");
        }

        Linting.ParseResult parsed;
        using (var parse = _spans.Start("agent.parse", Linter.Format))
        {
            var text = masker.Apply(ReadArtifacts(artifact) ?? outcome.Output);
            try
            {
                parsed = ModulePaths.ToRepository(Linter, _options.Parse(Linter.Format, text, ModulePaths.ParseRoot(Linter, workspace.Checkout, workingDirectory)), workspace.Checkout);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                parse.Error = ex.Message;
                return Result(TaskOutcome.Errored, outcome.ExitCode, changedFiles: changed, error: $"could not parse the output as '{Linter.Format}': {ex.Message}");
            }
        }

        var failed = outcome.ExitCode != 0 || parsed.Findings.Count > 0;
        var diff = await DiffOfFindingsAsync(workspace, parsed.Findings, notice, cancellationToken).ConfigureAwait(false);
        var result = Result(failed ? TaskOutcome.Failed : TaskOutcome.Succeeded, outcome.ExitCode, parsed.Findings, parsed.Unexpected, changed, diff: diff);
        if (!Linter.Baseline)
        {
            return result;
        }

        var (baseFindings, note) = await BaselineAsync(workspace, files, notice, log, masker, cancellationToken).ConfigureAwait(false);
        // Only the base's findings in files the head has findings in can match one: the rest would only weigh on the message.
        var renames = workspace.ChangedFiles is null ? new Dictionary<string, string>() : await workspace.RenamesAsync(cancellationToken).ConfigureAwait(false);
        var withFindings = parsed.Findings.SelectMany(f => new[] { f.File, renames.GetValueOrDefault(f.File) ?? f.File }).ToHashSet(StringComparer.Ordinal);
        baseFindings = baseFindings?.Where(f => withFindings.Contains(f.File)).ToList();
        return result with { Findings = LineTexts.Attach(parsed.Findings, workspace.Checkout), BaseFindings = baseFindings, BaselineNote = note };
    }

    /// <summary>Checks the source out; on failure the workspace is null and the result says why (Errored).</summary>
    private async Task<(GitWorkspace? Workspace, TaskResult? Failure)> CheckoutAsync(Action<string> notice, CancellationToken cancellationToken)
    {
        using var fetch = _spans.Start("agent.fetch", _assignment.Source.Repository);
        try
        {
            return (await _cache.CheckoutAsync(_assignment.Source, TaskId, notice, cancellationToken).ConfigureAwait(false), null);
        }
        catch (GitException ex)
        {
            fetch.Error = ex.Message;
            notice(ex.Message);
            return (null, Result(TaskOutcome.Errored, error: $"checkout of {_assignment.Source.Repository}@{Revision} failed: {ex.Message}"));
        }
    }

    /// <summary>Runs one process of the task (a linter, a job's step) in its own process group; a process that could
    /// not start at all gives a null outcome and the reason.</summary>
    private static async Task<(ProcessOutcome? Outcome, string? StartError)> RunProcessAsync(
        ProcessSpec spec, ProcessLimits limits, Action<string> output, CancellationToken cancellationToken)
    {
        try
        {
            return (await ChildProcess.RunAsync(spec, limits, output, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ProcessStartException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>The result of a process stopped by its timeout or by a cancel; null when it exited on its own.</summary>
    private TaskResult? Interrupted(ProcessOutcome outcome, TimeSpan timeout) => outcome.End switch
    {
        ProcessEnd.TimedOut => Result(TaskOutcome.TimedOut, error: $"timed out after {timeout}; the process tree was killed"),
        ProcessEnd.Cancelled => Result(TaskOutcome.Cancelled, error: CancelledError()),
        _ => null,
    };

    /// <summary>The diff of the files that have findings: the server needs their exact changed lines, nothing more.</summary>
    private static async Task<string?> DiffOfFindingsAsync(GitWorkspace workspace, IReadOnlyList<Finding> findings, Action<string> notice, CancellationToken cancellationToken)
    {
        var paths = findings.Select(f => f.File).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            var diff = await workspace.DiffAsync(paths, cancellationToken).ConfigureAwait(false);
            if (diff is null && paths.Count > 0 && workspace.ChangedFiles is not null)
            {
                notice($"the diff of {paths.Count} file(s) with findings exceeds {GitWorkspace.MaxDiffChars} characters; the server will read the changed lines from the code host");
            }

            return diff;
        }
        catch (GitException ex)
        {
            notice($"could not compute the diff: {ex.Message}; the server will read the changed lines from the code host");
            return null;
        }
    }

    /// <summary>
    /// As qiniu/reviewbot does: the non-empty files the linter wrote to <c>$ARTIFACT</c>, joined by
    /// newlines, replace the console output as the text to parse. Null when there are none.
    /// </summary>
    internal static string? ReadArtifacts(string artifactDirectory)
    {
        if (!Directory.Exists(artifactDirectory))
        {
            return null;
        }

        var contents = Directory.EnumerateFiles(artifactDirectory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .Where(text => text.Length > 0)
            .ToList();
        return contents.Count == 0 ? null : string.Join('\n', contents);
    }

    private TaskResult Result(
        TaskOutcome outcome,
        int? exitCode = null,
        IReadOnlyList<Finding>? findings = null,
        IReadOnlyList<string>? unexpected = null,
        IReadOnlyList<string>? changedFiles = null,
        string? error = null,
        string? diff = null) =>
        new(_nodeId, TaskId, _assignment.LeaseToken, outcome, exitCode, findings ?? [], unexpected ?? [], changedFiles ?? [], error, TimeSpan.Zero) { Diff = diff };

    private string CancelledError() => $"cancelled: {_cancelReason ?? "requested"}";

    /// <summary>What the task runs on, for people: the head commit, or the ref of a job that names no commit.</summary>
    private string Revision => string.IsNullOrEmpty(_assignment.Source.HeadSha) ? _assignment.Source.HeadRef ?? "(no ref)" : _assignment.Source.HeadSha;

    private string Languages() => Linter.Languages.Count == 0 ? "(all files)" : string.Join(' ', Linter.Languages);

    private static string Summary(TaskResult result)
    {
        var text = new StringBuilder($"{result.Outcome.ToString().ToLowerInvariant()}");
        if (result.ExitCode is { } exitCode)
        {
            text.Append($", exit code {exitCode}");
        }

        text.Append($", {result.Findings.Count} findings, {result.Duration.TotalSeconds:0.0} s");
        if (result.Error is { } error)
        {
            text.Append($": {error}");
        }

        return text.ToString();
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,@+%".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static partial class Log
    {
        [LoggerMessage(301, LogLevel.Information, "Task {TaskId}: started (attempt {Attempt}), {Linter} on {Repository}@{HeadSha}.", EventName = "TaskStarted")]
        public static partial void Started(ILogger logger, string taskId, int attempt, string linter, string repository, string headSha);

        [LoggerMessage(302, LogLevel.Information, "Task {TaskId}: {Outcome}, exit code {ExitCode}, {Findings} findings, {Seconds:0.0} s.", EventName = "TaskFinished")]
        public static partial void Finished(ILogger logger, string taskId, TaskOutcome outcome, int? exitCode, int findings, double seconds);

        [LoggerMessage(303, LogLevel.Error, "Task {TaskId}: the agent failed while running it.", EventName = "TaskCrashed")]
        public static partial void Crashed(ILogger logger, Exception exception, string taskId);
    }
}
