using System.Text.RegularExpressions;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reporting;

/// <summary>
/// One merge request note per linter with the run's summary (<see cref="ReportText"/>), found again by its first
/// line <c>&lt;!-- reviewbot:summary linter=X --&gt;</c> and edited in place on each push, so the merge request
/// never collects one summary per push. Only a marker on a line of its own counts (a quote of it does not).
/// </summary>
public static partial class SummaryNote
{
    public static string Marker(string linter) => $"<!-- reviewbot:summary linter={Uri.EscapeDataString(linter)} -->";

    public static bool IsFor(string? body, string linter) =>
        body is not null && MarkerLine().Match(body) is { Success: true } m && Uri.UnescapeDataString(m.Groups[1].Value) == linter;

    public static string Render(ReviewTask task, ReportPlan plan, string? link, IEnumerable<string> notes)
    {
        var sha = task.HeadSha[..Math.Min(8, task.HeadSha.Length)];
        return $"{Marker(plan.Linter)}\n**ReviewBot · {plan.Linter}**: {ReportText.Title(task, plan)} (commit `{sha}`)\n\n"
             + ReportText.Summary(task, plan, link, notes);
    }

    /// <summary>Creates the note, or edits the existing one; true when it was created.</summary>
    public static async Task<bool> UpsertAsync(GitLabClient client, long project, int iid, string linter, string body, CancellationToken ct)
    {
        var notes = await client.ListNotesAsync(project, iid, ct);
        if (notes.FirstOrDefault(n => !n.System && IsFor(n.Body, linter)) is { } existing)
        {
            if (existing.Body != body) await client.UpdateNoteAsync(project, iid, existing.Id, body, ct);
            return false;
        }
        await client.CreateNoteAsync(project, iid, body, ct);
        return true;
    }

    [GeneratedRegex(@"^<!-- reviewbot:summary linter=([A-Za-z0-9%._~-]+) -->\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex MarkerLine();
}
