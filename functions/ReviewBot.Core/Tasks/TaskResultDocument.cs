using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;

namespace ReviewBot.Core.Tasks;

/// <summary>What an agent reported for a task, stored as one blob (findings can exceed a table entity).</summary>
/// <param name="Diff">The three-dot diff of the files with findings, as the agent computed it; null when unknown.</param>
/// <param name="Preview">With <c>report: none</c>, what would have been posted.</param>
/// <param name="Steps">A job's task: how each step ended, in order; null for a linter's task.</param>
/// <param name="ResolvedSha">The commit the agent ran on (for a job on a ref, the one the ref pointed to).</param>
/// <param name="BaseFindings">With <c>filter: new</c>: the linter's findings on the merge base; null when the agent sent none.</param>
/// <param name="BaselineNote">The agent's word on the baseline (why it is missing, or that it came from its cache).</param>
/// <param name="Error">The agent's error in full (up to the agent-error field limit); the task's row keeps it cut.</param>
public sealed record TaskResultDocument(
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> ChangedFiles,
    string? Diff = null,
    ReportPreview? Preview = null,
    IReadOnlyList<StepResult>? Steps = null,
    string? ResolvedSha = null,
    string? Error = null,
    IReadOnlyList<Finding>? BaseFindings = null,
    string? BaselineNote = null);
