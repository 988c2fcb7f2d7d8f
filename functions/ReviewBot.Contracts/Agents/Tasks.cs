using ReviewBot.Contracts.Findings;

namespace ReviewBot.Contracts.Agents;

/// <summary>Where the code comes from. Every field obeys <see cref="SourceRules"/>, checked by the server at ingest and
/// by the agent before git runs: <see cref="CloneUrl"/> is an https or ssh remote, or (only with <see cref="AllowLocal"/>)
/// a local path, file://, http:// or git:// URL. <see cref="HeadSha"/> may be empty for a job on a branch or tag: the agent then fetches <see cref="HeadRef"/>
/// and runs on the commit it points to.</summary>
/// <param name="Token">Credential for https clone URLs; never logged.</param>
public sealed record SourceSpec(
    string Repository,
    string CloneUrl,
    string HeadSha,
    string? HeadRef,
    string? BaseSha,
    string? BaseRef,
    int? PullRequest,
    string? Token)
{
    /// <summary>The HTTP Basic user git sends <see cref="Token"/> with: null for GitHub's <c>x-access-token</c>,
    /// <c>oauth2</c> for GitLab.</summary>
    public string? TokenUser { get; init; }

    /// <summary>The server's own configuration or the jobs API named this source (or a webhook did, under the
    /// documented test/demo setting): the agent may then fetch a local path or file:// URL, and plain http:// or
    /// git://. Without it only https and ssh remotes are fetched.</summary>
    public bool AllowLocal { get; init; }
}

/// <summary>A linter command as the agent runs it.</summary>
/// <param name="Command">argv of the executable; <see cref="Args"/> are appended.
/// In args, <c>{files}</c> expands to the changed files matching <see cref="Languages"/>, one argument each as
/// <c>./path</c> (inside a longer argument: shell-quoted words), and <c>$ARTIFACT</c>/<c>${ARTIFACT}</c> to the artifact
/// directory.</param>
/// <param name="Languages">File extensions (".sh") the linter reviews; empty = every changed file.</param>
/// <param name="Format">Output format name: auto, gcc, msbuild, checkstyle, sarif, rdjson.</param>
public sealed record LinterSpec(
    string Name,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    string? WorkDir,
    string Format,
    IReadOnlyList<string> Languages,
    TimeSpan Timeout)
{
    /// <summary>Which changed files count besides <see cref="Languages"/> (paths/ignore globs, the module of a monorepo);
    /// null = every file. For a module, <see cref="WorkDir"/> is the module's directory, <c>{files}</c> are given
    /// relative to it and relative paths in the linter's output are read relative to it. Optional: an agent that does not
    /// know it reviews every changed file of the languages.</summary>
    public PathScope? Scope { get; init; }

    /// <summary>Run the linter on the merge base of <see cref="SourceSpec.BaseSha"/> and the head too (<c>filter: new</c>),
    /// the same way and on the same files, and send those findings as <see cref="TaskResult.BaseFindings"/>; every finding
    /// (head and base) then carries <see cref="Finding.LineText"/>. The server keeps the head's findings whose fingerprint
    /// the base did not have. Optional: an agent that does not know it sends no base findings, and the server reports
    /// every finding, saying the baseline was not available.</summary>
    public bool Baseline { get; init; }
}

/// <param name="LeaseToken">Unique per assignment: every later call about this task carries it.</param>
public sealed record TaskAssignment(
    string TaskId,
    string LeaseToken,
    int Attempt,
    SourceSpec Source,
    LinterSpec Linter,
    TimeSpan AcceptTimeout)
{
    /// <summary>Set for a job's task: the agent runs these steps instead of <see cref="Linter"/>.</summary>
    public JobSpec? Job { get; init; }

    /// <summary>The W3C traceparent of the task's trace: the agent's spans (<see cref="TaskResult.Spans"/>) continue
    /// it. Optional: null when the server records no traces; an agent that does not know it records none.</summary>
    public string? TraceParent { get; init; }
}

public sealed record TaskAcceptance(string NodeId, string TaskId, string LeaseToken, bool Accepted, string? Reason);

/// <param name="Accepted">False when the lease is no longer valid: the agent must stop the task.</param>
public sealed record TaskAck(bool Accepted, string? Reason);

public sealed record TaskCancellation(string TaskId, string LeaseToken, string Reason);

/// <param name="Sequence">0, 1, 2… per task and lease; resent chunks keep their number.</param>
public sealed record LogChunk(string NodeId, string TaskId, string LeaseToken, long Sequence, string Text);

public enum TaskOutcome
{
    /// <summary>The linter ran and found nothing to fail on.</summary>
    Succeeded,
    /// <summary>The linter ran and reported findings or exited non-zero.</summary>
    Failed,
    /// <summary>The task could not run: clone failed, command not found, bad output.</summary>
    Errored,
    TimedOut,
    Cancelled,
    /// <summary>No changed file matches the linter's languages.</summary>
    Skipped,
}

/// <param name="ChangedFiles">Files of the three-dot diff base...head, when known.</param>
/// <param name="Unexpected">Output lines no parser understood; kept, never dropped silently.</param>
public sealed record TaskResult(
    string NodeId,
    string TaskId,
    string LeaseToken,
    TaskOutcome Outcome,
    int? ExitCode,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> ChangedFiles,
    string? Error,
    TimeSpan Duration)
{
    /// <summary>For a job's task: how each step ended, in order.</summary>
    public IReadOnlyList<StepResult> Steps { get; init; } = [];

    /// <summary>The commit the task ran on (a job on a ref learns it only when the agent fetches).</summary>
    public string? ResolvedSha { get; init; }

    /// <summary>The three-dot diff (<c>git diff base...head</c>, unified, 3 lines of context, renames detected) of
    /// the files that have findings; the server keeps the findings on changed lines with it. Null when unknown.</summary>
    public string? Diff { get; init; }

    /// <summary>With <see cref="LinterSpec.Baseline"/>: the linter's findings on the merge base (same files, same
    /// command), each with its <see cref="Finding.LineText"/>. Null when the baseline was not run (no base commit, the
    /// base run failed, an agent that predates it): <see cref="BaselineNote"/> then says why when the agent knows.</summary>
    public IReadOnlyList<Finding>? BaseFindings { get; init; }

    /// <summary>Why <see cref="BaseFindings"/> is null, or how it was obtained ("cached"); for the report's text.</summary>
    public string? BaselineNote { get; init; }
    /// <summary>The agent's spans of this run (<see cref="TaskAssignment.TraceParent"/> set), parents before their
    /// children; the server writes them into its own trace exporter under the task's trace. Empty from an agent that
    /// records none.</summary>
    public IReadOnlyList<SpanRecord> Spans { get; init; } = [];
}

/// <summary>One span the agent recorded (fetch, linter, parse, upload, and the run around them).</summary>
/// <param name="SpanId">16 lowercase hex digits, unique within the result.</param>
/// <param name="ParentSpanId">Another record's <see cref="SpanId"/>; null for the run, whose parent is the
/// assignment's traceparent.</param>
/// <param name="Error">Why the step failed; null when it did not.</param>
/// <param name="Tags">A few attributes (at most 8, short values).</param>
public sealed record SpanRecord(
    string Name,
    string SpanId,
    string? ParentSpanId,
    DateTimeOffset Start,
    TimeSpan Duration,
    string? Error,
    IReadOnlyDictionary<string, string>? Tags);
