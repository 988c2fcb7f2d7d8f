using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// What an agent reports is cut to <see cref="FieldLimits"/> on arrival, before anything is stored or reported: an
/// agent (or whatever runs on its host) is not trusted with the size of the task's row, its result blob or the
/// code host's API. Lists keep their first entries; an unexpected line at the end says how many were dropped, so
/// nothing disappears silently. Values .NET cannot compute with (a duration of ten thousand days, a commit id that is
/// no commit id) are dropped.
/// </summary>
public static class AgentResultLimits
{
    /// <summary>Longest duration an agent may report; more is taken as unknown (zero).</summary>
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    public static TaskResult Cap(TaskResult r)
    {
        // A hostile agent's JSON may hold nulls where the contract has none.
        IReadOnlyList<string> allUnexpected = r.Unexpected ?? [];
        IReadOnlyList<Finding> findings = r.Findings ?? [];
        var unexpected = allUnexpected.Take(FieldLimits.UnexpectedLines).Select(l => FieldLimits.Cut(l ?? "", FieldLimits.Line)).ToList();
        var dropped = new List<string>();
        if (allUnexpected.Count > FieldLimits.UnexpectedLines) dropped.Add($"{allUnexpected.Count - FieldLimits.UnexpectedLines} more unexpected line(s)");
        if (findings.Count > FieldLimits.Findings) dropped.Add($"{findings.Count - FieldLimits.Findings} more finding(s)");
        if (dropped.Count > 0)
            unexpected.Add($"[reviewbot] {string.Join(" and ", dropped)} not kept: at most {FieldLimits.UnexpectedLines} lines and {FieldLimits.Findings} findings per result");
        return r with
        {
            Findings = [.. findings.Where(f => f is not null).Take(FieldLimits.Findings).Select(Cap)],
            Unexpected = unexpected,
            ChangedFiles = [.. (r.ChangedFiles ?? []).Take(FieldLimits.ChangedFiles).Select(f => FieldLimits.Cut(f ?? "", FieldLimits.Path))],
            Error = FieldLimits.CutOrNull(r.Error, FieldLimits.AgentError),
            Duration = Bounded(r.Duration),
            Steps = [.. (r.Steps ?? []).Where(s => s is not null).Take(FieldLimits.JobSteps)
                .Select(s => s with { Name = FieldLimits.Cut(s.Name ?? "", FieldLimits.Name), Duration = Bounded(s.Duration) })],
            ResolvedSha = r.ResolvedSha is { Length: > 0 and <= FieldLimits.Sha } sha && sha.All(char.IsAsciiHexDigit) ? sha : null,
        };
    }

    private static TimeSpan Bounded(TimeSpan d) => d < TimeSpan.Zero || d > MaxDuration ? TimeSpan.Zero : d;

    private static Finding Cap(Finding f) => f with
    {
        File = FieldLimits.Cut(f.File ?? "", FieldLimits.Path),
        Rule = FieldLimits.CutOrNull(f.Rule, FieldLimits.Name),
        Message = FieldLimits.Cut(f.Message ?? "", FieldLimits.Line),
        Fix = f.Fix is { Text: { } text } fix && text.Length <= FieldLimits.FixText && fix.StartLine >= 1 && fix.EndLine >= fix.StartLine ? fix : null,
    };
}
