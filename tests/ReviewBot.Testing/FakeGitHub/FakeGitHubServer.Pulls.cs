using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Pull requests seeded by tests (<see cref="AddPullRequest"/>): <c>GET /repos/{o}/{r}/pulls/{n}</c> and
/// <c>GET …/pulls/{n}/files</c>, paginated like GitHub and capped at 3000 files. Owner and repository names compare
/// case-insensitively, as on GitHub.
/// </summary>
public sealed partial class FakeGitHubServer
{
    /// <summary>GitHub lists at most this many files of a pull request.</summary>
    public const int MaxListedFiles = 3000;

    private readonly Dictionary<(string Owner, string Repo, int Number), FakePullRequest> _pulls = new(PullKeyComparer.Instance);

    public FakePullRequest AddPullRequest(string owner, string repo, int number, string baseSha, string headSha, string unifiedDiff)
    {
        var pr = new FakePullRequest(this, owner, repo, number, baseSha);
        pr.PushHead(headSha, unifiedDiff);
        lock (_state) _pulls[(owner, repo, number)] = pr;
        return pr;
    }

    public FakePullRequest? PullRequest(string owner, string repo, int number)
    {
        lock (_state) return _pulls.GetValueOrDefault((owner, repo, number));
    }

    private FakePullRequest RequirePull(string owner, string repo, int number) =>
        PullRequest(owner, repo, number) ?? throw new FakeApiException(404, "Not Found");

    private void MapPulls(RouteGroupBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/pulls/{number:int}", (string owner, string repo, int number, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            var pr = RequirePull(owner, repo, number);
            var url = $"https://github.com/{pr.Owner}/{pr.Repo}/pull/{pr.Number}";
            return Results.Json(new
            {
                id = 100000 + pr.Number,
                number = pr.Number,
                state = "open",
                title = $"Pull request {pr.Number}",
                html_url = url,
                user = new { login = pr.AuthorLogin, type = "User" },
                head = new { sha = pr.HeadSha, @ref = pr.HeadRef, label = $"{pr.Owner}:{pr.HeadRef}", repo = new { name = (pr.HeadRepository ?? pr.Repo).Split('/')[^1], full_name = pr.HeadRepository ?? $"{pr.Owner}/{pr.Repo}" } },
                @base = new { sha = pr.BaseSha, @ref = pr.BaseRef, label = $"{pr.Owner}:{pr.BaseRef}", repo = new { name = pr.Repo, full_name = $"{pr.Owner}/{pr.Repo}" } },
            });
        }));

        api.MapGet("/repos/{owner}/{repo}/pulls/{number:int}/files", (string owner, string repo, int number, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            var pr = RequirePull(owner, repo, number);
            var page = Page(context, [.. pr.Files.Take(MaxListedFiles)]);
            return Results.Json(page.Select(FileJson));
        }));
    }

    /// <summary>GitHub's file object: <c>patch</c> is left out for binary files, <c>previous_filename</c> only for renames.</summary>
    private static Dictionary<string, object?> FileJson(FakeDiffFile f)
    {
        var json = new Dictionary<string, object?>
        {
            ["sha"] = f.Sha,
            ["filename"] = f.Path,
            ["status"] = f.Status,
            ["additions"] = f.Additions,
            ["deletions"] = f.Deletions,
            ["changes"] = f.Additions + f.Deletions,
        };
        if (f.Patch is not null) json["patch"] = f.Patch;
        if (f.PreviousPath is not null) json["previous_filename"] = f.PreviousPath;
        return json;
    }

    private sealed class PullKeyComparer : IEqualityComparer<(string Owner, string Repo, int Number)>
    {
        public static readonly PullKeyComparer Instance = new();

        public bool Equals((string Owner, string Repo, int Number) x, (string Owner, string Repo, int Number) y) =>
            x.Number == y.Number && x.Owner.Equals(y.Owner, StringComparison.OrdinalIgnoreCase) && x.Repo.Equals(y.Repo, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Owner, string Repo, int Number) k) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(k.Owner), StringComparer.OrdinalIgnoreCase.GetHashCode(k.Repo), k.Number);
    }

    private static bool SameRepo(string owner, string repo, string otherOwner, string otherRepo) =>
        owner.Equals(otherOwner, StringComparison.OrdinalIgnoreCase) && repo.Equals(otherRepo, StringComparison.OrdinalIgnoreCase);
}
