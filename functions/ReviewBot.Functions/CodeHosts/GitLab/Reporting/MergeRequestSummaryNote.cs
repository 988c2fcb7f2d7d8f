using ReviewBot.Core.Review;
using ReviewBot.Functions.CodeHosts.GitLab.Api;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reporting;

/// <summary>
/// The merge request's one summary note across linters (<c>summary:</c>), GitLab's side of what GitHub posts as an issue
/// comment: the text and its state come from <see cref="PullRequestSummary"/> (planned once in Core, for both hosts). The
/// note is recognised by the summary's state line — not by the per-linter notes' marker (<see cref="SummaryNote"/>) — the
/// oldest one kept and edited in place (<c>PUT /notes/:id</c>) when its text changes, created when there is none and
/// something to say; any later one (two instances creating at once) is deleted.
/// </summary>
public static class MergeRequestSummaryNote
{
    public static async Task<string?> PublishAsync(GitLabClient client, long project, int iid, Func<string?, string?> update, CancellationToken ct)
    {
        var notes = await client.ListNotesAsync(project, iid, ct);
        var mine = notes.Where(n => !n.System && PullRequestSummary.IsSummary(n.Body)).OrderBy(n => n.Id).ToList();
        foreach (var extra in mine.Skip(1)) await client.DeleteNoteAsync(project, iid, extra.Id, ct);
        var current = mine.FirstOrDefault();
        var text = update(current?.Body);
        if (text is null || text == current?.Body) return null;
        if (current is null)
        {
            await client.CreateNoteAsync(project, iid, text, ct);
            return "summary note posted";
        }
        await client.UpdateNoteAsync(project, iid, current.Id, text, ct);
        return "summary note updated";
    }
}
