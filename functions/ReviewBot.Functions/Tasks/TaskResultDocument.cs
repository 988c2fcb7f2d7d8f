using ReviewBot.Contracts.Findings;

namespace ReviewBot.Functions.Tasks;

/// <summary>What an agent reported for a task, stored as one blob (findings can exceed a table entity).</summary>
public sealed record TaskResultDocument(
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> ChangedFiles);
