using System.Globalization;
using Octokit;
using ReviewBot.Core.Review;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>
/// The pull request's one summary comment, an issue comment recognised by <see cref="PullRequestSummary"/>'s state line:
/// listed (every page), the oldest one kept and edited in place (PATCH) when its text changes, created when there is
/// none and something to say; any later one (two instances creating at once) is deleted.
/// </summary>
public static class SummaryCommentPublisher
{
    private const string Accept = "application/vnd.github+json";

    public static async Task<string?> PublishAsync(IConnection connection, RepoName repo, int number, Func<string?, string?> update)
    {
        var api = new ApiConnection(connection);
        var listed = await api.GetAll<ListedIssueComment>(new Uri($"{repo.Path}/issues/{number}/comments", UriKind.Relative), new ApiOptions { PageSize = 100 });
        var mine = listed.Where(c => PullRequestSummary.IsSummary(c.Body)).OrderBy(c => c.Id).ToList();
        foreach (var extra in mine.Skip(1)) await connection.Delete(new Uri($"{repo.Path}/issues/comments/{extra.Id.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative));
        var current = mine.FirstOrDefault();
        var text = update(current?.Body);
        if (text is null || text == current?.Body) return null;
        if (current is null)
        {
            await connection.Post<ListedIssueComment>(new Uri($"{repo.Path}/issues/{number}/comments", UriKind.Relative), ReviewJson.Serialize(new CommentEdit(text)), Accept, "application/json");
            return "summary comment posted";
        }
        await connection.Patch<ListedIssueComment>(new Uri($"{repo.Path}/issues/comments/{current.Id.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative), ReviewJson.Serialize(new CommentEdit(text)), Accept);
        return "summary comment updated";
    }
}

/// <summary>An issue comment as listed by <c>GET /issues/{n}/comments</c>.</summary>
public sealed class ListedIssueComment
{
    public long Id { get; set; }
    public string? Body { get; set; }
}
