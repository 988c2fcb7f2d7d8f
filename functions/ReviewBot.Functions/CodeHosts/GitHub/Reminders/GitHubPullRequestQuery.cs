using System.Globalization;
using System.Text.Json;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reminders.Analysis;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reminders;

/// <summary>
/// The GraphQL query for open pull requests and the mapping of one <c>PullRequest</c> node to a
/// <see cref="PullRequestSnapshot"/>. Field and enum names follow GitHub's public GraphQL schema
/// (https://docs.github.com/graphql/reference/objects#pullrequest). <c>Commit.pushedDate</c> was removed from the
/// schema in July 2023, so the head commit's <c>committedDate</c> stands for "last commit".
/// Inner lists (review requests, latest opinionated reviews, check contexts) are read up to 100 each: the rollup's
/// <c>state</c> covers every context even when more than 100 exist, only the names listed stop there.
/// </summary>
public static class GitHubPullRequestQuery
{
    public const int PageSize = 50;

    private const string Fields = """
        number title url isDraft createdAt updatedAt mergeable mergeStateStatus reviewDecision
        author { login }
        reviewRequests(first: 100) { nodes { requestedReviewer { __typename ... on User { login } ... on Team { slug organization { login } } } } }
        latestOpinionatedReviews(first: 100) { nodes { author { login } state submittedAt } }
        commits(last: 1) { nodes { commit { oid committedDate statusCheckRollup { state contexts(first: 100) { nodes {
          __typename
          ... on CheckRun { name conclusion status detailsUrl startedAt }
          ... on StatusContext { context state targetUrl createdAt }
        } } } } } }
        """;

    /// <summary>One page of open pull requests; variables <c>owner</c>, <c>name</c>, <c>cursor</c> (null for the first page).</summary>
    public const string OpenPullRequests = "query($owner: String!, $name: String!, $cursor: String) { repository(owner: $owner, name: $name) { " +
        "pullRequests(states: OPEN, first: 50, after: $cursor, orderBy: { field: CREATED_AT, direction: ASC }) { nodes { " + Fields +
        " } pageInfo { hasNextPage endCursor } } } }";

    /// <summary>One pull request; variables <c>owner</c>, <c>name</c>, <c>number</c>. For re-reading UNKNOWN mergeability.</summary>
    public const string OnePullRequest = "query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { " +
        "pullRequest(number: $number) { " + Fields + " } } }";

    /// <summary>
    /// Maps a <c>PullRequest</c> node. Requested teams come back as "org/slug" with no members; the reader fills
    /// <see cref="PullRequestSnapshot.TeamMembers"/>.
    /// </summary>
    public static PullRequestSnapshot Map(JsonElement pr, string repository)
    {
        var createdAt = Date(pr, "createdAt") ?? throw new FormatException("pull request without createdAt");
        var updatedAt = Date(pr, "updatedAt") ?? createdAt;
        var commit = Nodes(pr.GetProperty("commits")).Select(n => n.GetProperty("commit")).LastOrDefault();
        var lastCommitAt = commit.ValueKind == JsonValueKind.Object ? Date(commit, "committedDate") ?? createdAt : createdAt;

        var mergeState = Str(pr, "mergeStateStatus");
        var mergeability = Str(pr, "mergeable")?.ToUpperInvariant() switch
        {
            "MERGEABLE" => Mergeability.Mergeable,
            "CONFLICTING" => Mergeability.Conflicting,
            _ => Mergeability.Unknown,
        };
        // DIRTY: "The merge commit cannot be cleanly created" — a conflict even if `mergeable` lags behind.
        if (string.Equals(mergeState, "DIRTY", StringComparison.OrdinalIgnoreCase)) mergeability = Mergeability.Conflicting;

        var (ci, checks) = Rollup(commit);

        var users = new List<string>();
        var teams = new List<string>();
        foreach (var request in Nodes(pr.GetProperty("reviewRequests")))
        {
            if (!request.TryGetProperty("requestedReviewer", out var who) || who.ValueKind != JsonValueKind.Object) continue;
            if (Str(who, "login") is { } login) users.Add(login);
            else if (Str(who, "slug") is { } slug && who.TryGetProperty("organization", out var org) && Str(org, "login") is { } orgLogin)
                teams.Add($"{orgLogin}/{slug}");
        }

        var reviews = new List<Review>();
        foreach (var review in Nodes(pr.GetProperty("latestOpinionatedReviews")))
        {
            if (Login(review) is not { } reviewer || Date(review, "submittedAt") is not { } at) continue;
            if (ReviewStates.TryParse(Str(review, "state"), out var state)) reviews.Add(new Review(reviewer, state, at));
        }

        return new PullRequestSnapshot(
            Host: "github",
            Repository: repository,
            Number: pr.GetProperty("number").GetInt32(),
            Title: Str(pr, "title") ?? "",
            Url: Str(pr, "url") ?? "",
            Author: Login(pr) ?? "ghost", // a deleted account's content belongs to "ghost"
            Draft: pr.TryGetProperty("isDraft", out var draft) && draft.ValueKind == JsonValueKind.True,
            Mergeability: mergeability,
            Ci: ci,
            Checks: checks,
            Reviews: reviews,
            RequestedReviewers: users,
            RequestedTeams: teams,
            TeamMembers: new Dictionary<string, IReadOnlyList<string>>(),
            // GitHub reports BEHIND only when branch protection requires the head to be up to date.
            BehindBase: string.Equals(mergeState, "BEHIND", StringComparison.OrdinalIgnoreCase),
            CreatedAt: createdAt,
            LastCommitAt: lastCommitAt,
            LastActivityAt: updatedAt)
        {
            ApprovalRequirementMet = Str(pr, "reviewDecision")?.ToUpperInvariant() switch
            {
                "APPROVED" => true,
                "REVIEW_REQUIRED" or "CHANGES_REQUESTED" => false,
                _ => null,
            },
        };
    }

    /// <summary>The head's <c>statusCheckRollup</c>: SUCCESS; FAILURE/ERROR; PENDING/EXPECTED; null when nothing reports.
    /// Only failing and pending contexts are kept, to be named in the reminder.</summary>
    private static (CiState, IReadOnlyList<CheckInfo>) Rollup(JsonElement commit)
    {
        if (commit.ValueKind != JsonValueKind.Object || !commit.TryGetProperty("statusCheckRollup", out var rollup) || rollup.ValueKind != JsonValueKind.Object)
            return (CiState.None, []);
        var state = Str(rollup, "state")?.ToUpperInvariant() switch
        {
            "SUCCESS" => CiState.Success,
            "FAILURE" or "ERROR" => CiState.Failure,
            "PENDING" or "EXPECTED" => CiState.Pending,
            _ => CiState.None,
        };
        var checks = new List<CheckInfo>();
        if (rollup.TryGetProperty("contexts", out var contexts))
        {
            foreach (var c in Nodes(contexts))
            {
                var check = Str(c, "name") is { } name
                    ? new CheckInfo(name, CheckRunState(Str(c, "status"), Str(c, "conclusion")), Str(c, "detailsUrl"), Date(c, "startedAt"))
                    : new CheckInfo(Str(c, "context") ?? "status", StatusState(Str(c, "state")), Str(c, "targetUrl"), Date(c, "createdAt"));
                if (check.State is CiState.Failure or CiState.Pending) checks.Add(check);
            }
        }
        return (state, checks);
    }

    /// <summary>CheckRun: not COMPLETED is pending; a completed run fails unless it succeeded, was neutral or skipped.</summary>
    private static CiState CheckRunState(string? status, string? conclusion)
    {
        if (!string.Equals(status, "COMPLETED", StringComparison.OrdinalIgnoreCase)) return CiState.Pending;
        return conclusion?.ToUpperInvariant() switch
        {
            "SUCCESS" or "NEUTRAL" or "SKIPPED" => CiState.Success,
            _ => CiState.Failure, // FAILURE, TIMED_OUT, CANCELLED, ACTION_REQUIRED, STARTUP_FAILURE, STALE
        };
    }

    private static CiState StatusState(string? state) => state?.ToUpperInvariant() switch
    {
        "SUCCESS" => CiState.Success,
        "FAILURE" or "ERROR" => CiState.Failure,
        _ => CiState.Pending, // PENDING, EXPECTED
    };

    internal static IEnumerable<JsonElement> Nodes(JsonElement connection) =>
        connection.ValueKind == JsonValueKind.Object && connection.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array
            ? nodes.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Object)
            : [];

    private static string? Login(JsonElement e) =>
        e.TryGetProperty("author", out var a) && a.ValueKind == JsonValueKind.Object ? Str(a, "login") : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Date(JsonElement e, string name) =>
        Str(e, name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;
}
