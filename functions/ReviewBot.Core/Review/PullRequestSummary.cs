using System.Text.Json;
using System.Text.RegularExpressions;
using ReviewBot.Contracts.Findings;

namespace ReviewBot.Core.Review;

/// <summary>Whether a pull request gets its one summary comment (<c>summary:</c>): <c>off</c>, <c>on</c> (always), or
/// <c>onFindings</c> (only once there is something to say; an existing comment is then edited to "all clear").</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SummaryMode>))]
public enum SummaryMode { Off, On, OnFindings }

/// <summary>One linter run at the head the summary describes: its name, conclusion, a link, and its findings' fingerprints with their severity.</summary>
public sealed record SummaryRun(string Linter, Conclusion Conclusion, string? Link, IReadOnlyList<(string Fingerprint, Severity Severity)> Findings);

/// <summary>
/// The one summary comment of a pull request, across its linters, kept up to date as each linter's run completes: counts
/// of <b>new</b> (reported now, not at the previous head), <b>fixed</b> (reported at the previous head, gone now) and
/// <b>outstanding</b> (reported at both) findings by severity and linter. Pure: the comment carries its own state on a
/// hidden last line (<see cref="Marker"/> + the fingerprints per linter at the current head and at the previous one), so
/// each completion needs only its own run and the comment's text, never the other linters' results.
/// <list type="bullet">
/// <item>A run at the head the comment describes replaces that linter's entry; a run at another head starts a new
/// round: what the comment had as current becomes the previous round.</item>
/// <item>A linter of the previous round that has not completed at this head yet is listed as pending; its findings
/// count neither as fixed nor as outstanding.</item>
/// <item>The summary only moves forward: a run at an older head than the comment's (by the change request's update
/// time) is ignored, so a late run of a superseded push cannot put it back.</item>
/// <item>The state keeps at most <see cref="MaxStoredFindings"/> fingerprints per round (the comment stays under
/// GitHub's 65,536 characters); beyond that, counts still hold for the current run, later rounds compare less.</item>
/// </list>
/// </summary>
public static partial class PullRequestSummary
{
    public const string Marker = "<!-- reviewbot:summary ";
    public const int MaxStoredFindings = 500;
    /// <summary>Room for the visible text: the state of two rounds of <see cref="MaxStoredFindings"/> (about 28,000
    /// characters in base64) must fit beside it under GitHub's 65,536.</summary>
    private const int TextLimit = 36_000;

    /// <summary>The comment's new text after <paramref name="run"/> completed at <paramref name="headSha"/>, given its
    /// current text (null when there is none yet). Null: post nothing (no comment yet and nothing to say under
    /// <see cref="SummaryMode.OnFindings"/>, or <see cref="SummaryMode.Off"/>).</summary>
    /// <param name="headAt">When the change request got <paramref name="headSha"/> (the delivery's update time): the summary
    /// only moves forward. A run at another head that is older than the one the comment describes (a late run of a
    /// superseded push) changes nothing: null. Unknown times (null, or a comment written before times were kept) never refuse.</param>
    public static string? Update(string? existing, string headSha, SummaryRun run, SummaryMode mode, DateTimeOffset? headAt = null)
    {
        if (mode == SummaryMode.Off) return null;
        var state = existing is null ? null : ReadState(existing);
        if (state is not null && IsOlder(state, headSha, headAt)) return null;
        state = Advance(state ?? new SummaryState(headSha, [], []), headSha, run, headAt);
        var rows = Rows(state);
        var anything = rows.Any(r => r.New.Count + r.Fixed.Count + r.Outstanding.Count > 0);
        if (!anything && existing is null && mode == SummaryMode.OnFindings) return null;
        return Render(state, rows, anything);
    }

    /// <summary>True when <paramref name="body"/> is a summary comment (its state line stands alone, as rendered).</summary>
    public static bool IsSummary(string? body) => body is not null && StateLine().IsMatch(body);

    /// <summary>True when <paramref name="headSha"/> is another head than the state's and known to be older.</summary>
    internal static bool IsOlder(SummaryState state, string headSha, DateTimeOffset? headAt) =>
        !string.Equals(state.Head, headSha, StringComparison.OrdinalIgnoreCase) && headAt is { } at && state.At is { } known && at < known;

    internal static SummaryState Advance(SummaryState state, string headSha, SummaryRun run, DateTimeOffset? headAt = null)
    {
        var entry = new SummaryEntry(run.Linter, run.Conclusion, run.Link,
            [.. run.Findings.Take(MaxStoredFindings).Select(f => f.Fingerprint + Code(f.Severity))]);
        if (!string.Equals(state.Head, headSha, StringComparison.OrdinalIgnoreCase))
            state = new SummaryState(headSha, [], MergePrevious(state)) { At = headAt };
        else if (state.At is null) state = state with { At = headAt };
        var current = state.Current.Where(e => e.Linter != run.Linter).Append(entry).OrderBy(e => e.Linter, StringComparer.Ordinal).ToList();
        return state with { Current = current };
    }

    /// <summary>A new round's previous entries: the old round's current ones, and its previous ones for linters that had not run again.</summary>
    private static List<SummaryEntry> MergePrevious(SummaryState old) =>
        [.. old.Current.Concat(old.Previous.Where(p => old.Current.All(c => c.Linter != p.Linter)))];

    private sealed record Row(string Linter, SummaryEntry? Now, List<string> New, List<string> Fixed, List<string> Outstanding);

    private static List<Row> Rows(SummaryState state)
    {
        var rows = new List<Row>();
        foreach (var linter in state.Current.Select(e => e.Linter).Union(state.Previous.Select(e => e.Linter)).Order(StringComparer.Ordinal))
        {
            var now = state.Current.FirstOrDefault(e => e.Linter == linter);
            var before = state.Previous.FirstOrDefault(e => e.Linter == linter)?.Findings ?? [];
            if (now is null)
            {
                rows.Add(new Row(linter, null, [], [], []));
                continue;
            }
            var old = before.ToHashSet(StringComparer.Ordinal);
            var current = now.Findings.ToHashSet(StringComparer.Ordinal);
            rows.Add(new Row(linter, now, [.. now.Findings.Where(f => !old.Contains(f))], [.. before.Where(f => !current.Contains(f))], [.. now.Findings.Where(old.Contains)]));
        }
        return rows;
    }

    private static string Render(SummaryState state, List<Row> rows, bool anything)
    {
        var text = new BoundedText(TextLimit);
        int n = rows.Sum(r => r.New.Count), f = rows.Sum(r => r.Fixed.Count), o = rows.Sum(r => r.Outstanding.Count);
        text.Line("### ReviewBot");
        text.Line(anything
            ? $"At `{Short(state.Head)}`: **{n} new**, {f} fixed, {o} outstanding finding{FindingText.Plural(n + o)}."
            : $"At `{Short(state.Head)}`: all clear, no findings.");
        text.Line().Line("| Linter | Result | New | Fixed | Outstanding |").Line("|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var result = r.Now is null ? "pending" : r.Now.Link is { } link ? $"[{Name(r.Now.Conclusion)}]({link})" : Name(r.Now.Conclusion);
            text.Line($"| {FindingText.Cell(r.Linter)} | {result} | {Counts(r.New)} | {Counts(r.Fixed)} | {Counts(r.Outstanding)} |");
        }
        if (n > 0)
        {
            text.Line().Line($"<details><summary>{n} new finding{FindingText.Plural(n)} by severity</summary>").Line();
            foreach (var sev in new[] { Severity.Error, Severity.Warning, Severity.Info })
            {
                var per = rows.Select(r => (r.Linter, Count: r.New.Count(x => Sev(x) == sev))).Where(x => x.Count > 0).ToList();
                if (per.Count > 0) text.Line($"- {FindingText.Name(sev)}: " + string.Join(", ", per.Select(p => $"{p.Count} {FindingText.Cell(p.Linter)}")));
            }
            text.Line().Line("</details>");
        }
        var body = text.ToString(k => $"… {k} more line(s) not shown.");
        return body + "\n" + WriteState(state);
    }

    private static string Counts(List<string> findings)
    {
        if (findings.Count == 0) return "0";
        var parts = new[] { Severity.Error, Severity.Warning, Severity.Info }
            .Select(s => (s, c: findings.Count(x => Sev(x) == s))).Where(x => x.c > 0)
            .Select(x => $"{x.c} {FindingText.Name(x.s)}{FindingText.Plural(x.c)}");
        return string.Join(", ", parts);
    }

    private static string Name(Conclusion c) => c switch
    {
        Conclusion.TimedOut => "timed out",
        _ => c.ToString().ToLowerInvariant(),
    };

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static char Code(Severity s) => s switch { Severity.Error => 'e', Severity.Warning => 'w', _ => 'i' };

    private static Severity Sev(string stored) => stored[^1] switch { 'e' => Severity.Error, 'w' => Severity.Warning, _ => Severity.Info };

    private static string WriteState(SummaryState state) =>
        Marker + Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(state, StateJson)) + " -->";

    internal static SummaryState? ReadState(string body)
    {
        var m = StateLine().Match(body);
        if (!m.Success) return null;
        try { return JsonSerializer.Deserialize<SummaryState>(Convert.FromBase64String(m.Groups[1].Value), StateJson); }
        catch (Exception e) when (e is FormatException or JsonException) { return null; }
    }

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    [GeneratedRegex(@"^<!-- reviewbot:summary ([A-Za-z0-9+/]+=*) -->\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex StateLine();
}

/// <summary>The summary's hidden state: the head it describes, each linter's run there, and the previous round's.</summary>
internal sealed record SummaryState(string Head, IReadOnlyList<SummaryEntry> Current, IReadOnlyList<SummaryEntry> Previous)
{
    /// <summary>When the change request got <see cref="Head"/>; null when unknown (or written before it was kept).</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>One linter's run in the state: findings as fingerprint + severity letter (e, w, i).</summary>
internal sealed record SummaryEntry(string Linter, Conclusion Conclusion, string? Link, IReadOnlyList<string> Findings);
