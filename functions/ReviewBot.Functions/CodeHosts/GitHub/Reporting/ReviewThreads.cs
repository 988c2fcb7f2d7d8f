using System.Text.Json;
using Octokit;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>A pull request review thread as GraphQL shows it, keyed by its first comment's REST id.</summary>
/// <param name="Id">The thread's node id (what <c>resolveReviewThread</c> takes).</param>
/// <param name="ResolvedByAuthor">Resolved by the author of its first comment (for ReviewBot's threads: by ReviewBot).
/// <c>resolvedBy</c> is a <c>User</c> in GitHub's schema, so a thread an App resolved may show none: a resolved thread
/// with no <c>resolvedBy</c> counts as resolved by its author; a person who resolves one is always named.</param>
public sealed record ReviewThread(string Id, long FirstCommentId, bool IsResolved, bool ResolvedByAuthor);

/// <summary>
/// Review threads through GitHub's GraphQL API (REST has no notion of a thread's resolution):
/// <c>pullRequest.reviewThreads</c>, 100 per page (GitHub's cap), each with its first comment's <c>databaseId</c> (the
/// REST id ReviewBot's markers are read from) and who resolved it; <c>resolveReviewThread</c> and
/// <c>unresolveReviewThread</c> by thread id.
/// </summary>
public sealed class ReviewThreads(IConnection connection)
{
    private const string Query = """
        query($owner: String!, $name: String!, $number: Int!, $cursor: String) { repository(owner: $owner, name: $name) {
          pullRequest(number: $number) { reviewThreads(first: 100, after: $cursor) {
            nodes { id isResolved resolvedBy { login } comments(first: 1) { nodes { databaseId author { login } } } }
            pageInfo { hasNextPage endCursor } } } } }
        """;

    private const string Resolve = "mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }";
    private const string Unresolve = "mutation($threadId: ID!) { unresolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }";

    /// <summary>Every thread of the pull request, by its first comment's id.</summary>
    public async Task<IReadOnlyDictionary<long, ReviewThread>> ListAsync(RepoName repo, int number, CancellationToken ct)
    {
        var threads = new Dictionary<long, ReviewThread>();
        string? cursor = null;
        do
        {
            var data = await GitHubGraphQL.PostAsync(connection, Query, new { owner = repo.Owner, name = repo.Name, number, cursor }, ct);
            var page = data.GetProperty("repository").GetProperty("pullRequest").GetProperty("reviewThreads");
            foreach (var node in page.GetProperty("nodes").EnumerateArray())
            {
                var first = node.GetProperty("comments").GetProperty("nodes").EnumerateArray().FirstOrDefault();
                if (first.ValueKind != JsonValueKind.Object || !first.TryGetProperty("databaseId", out var id) || id.ValueKind != JsonValueKind.Number) continue;
                var author = Login(first, "author");
                var resolvedBy = Login(node, "resolvedBy");
                var resolved = node.GetProperty("isResolved").GetBoolean();
                threads[id.GetInt64()] = new ReviewThread(node.GetProperty("id").GetString()!, id.GetInt64(), resolved,
                    resolved && (resolvedBy is null || string.Equals(author, resolvedBy, StringComparison.OrdinalIgnoreCase)));
            }
            var info = page.GetProperty("pageInfo");
            cursor = info.GetProperty("hasNextPage").GetBoolean() ? info.GetProperty("endCursor").GetString() : null;
        }
        while (cursor is not null);
        return threads;
    }

    public Task ResolveAsync(string threadId, CancellationToken ct) => GitHubGraphQL.PostAsync(connection, Resolve, new { threadId }, ct);

    public Task UnresolveAsync(string threadId, CancellationToken ct) => GitHubGraphQL.PostAsync(connection, Unresolve, new { threadId }, ct);

    private static string? Login(JsonElement e, string name) =>
        e.TryGetProperty(name, out var who) && who.ValueKind == JsonValueKind.Object && who.TryGetProperty("login", out var l) ? l.GetString() : null;
}
