using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Core.Review;

/// <summary>The split of a run's findings by <c>filter: new</c>: the ones the merge base did not have, and how many it had.</summary>
public sealed record BaselineSplit(IReadOnlyList<Finding> New, int Existing);

/// <summary>
/// <c>filter: new</c>: which of the head's findings the merge base already had. Both sides are keyed by
/// <see cref="Fingerprint.Of"/> over linter, path, rule, normalised message and the text of the finding's own line in
/// its own commit (<see cref="Finding.LineText"/>, sent by the agent) — never line numbers, so a finding whose line moved
/// (lines inserted above it) is still the base's. A head finding in a file the change renamed is keyed by its base-side
/// path. Keys are counted, not just compared: when the base has a key <c>n</c> times and the head <c>m</c> times, the
/// first <c>n</c> head findings (in line order) are existing and the other <c>m - n</c> are new — a second copy of an old
/// warning is news.
/// </summary>
public static class Baseline
{
    public static BaselineSplit Split(string linter, IReadOnlyList<Finding> head, IReadOnlyList<Finding> baseFindings, ChangedLines? changes = null)
    {
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in baseFindings)
        {
            var key = Key(linter, f, f.File);
            remaining[key] = remaining.GetValueOrDefault(key) + 1;
        }
        var kept = new List<Finding>(head.Count);
        var existing = 0;
        foreach (var f in head.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column ?? 0))
        {
            var key = Key(linter, f, changes?.Find(f.File)?.OldPath ?? f.File);
            if (remaining.GetValueOrDefault(key) is > 0 and var left)
            {
                remaining[key] = left - 1;
                existing++;
            }
            else kept.Add(f);
        }
        return new BaselineSplit(kept, existing);
    }

    private static string Key(string linter, Finding f, string path) => Fingerprint.Of(linter, f with { File = path }, f.LineText);
}
