using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Review threads over GraphQL, with their resolution kept: a thread is a pull request's root review comment and its
/// replies, its node id <c>PRRT_{root comment id}</c>. Answered on the GraphQL path (FakeGitHubServer.OpenPulls.cs):
/// the <c>pullRequest.reviewThreads</c> query (<c>first</c> ≤ 100, cursor paging; each node's <c>id</c>,
/// <c>isResolved</c>, <c>resolvedBy { login }</c> and <c>comments(first: 1)</c> with <c>databaseId</c> and
/// <c>author { login }</c>), and the <c>resolveReviewThread</c> / <c>unresolveReviewThread</c> mutations, which take
/// <c>threadId</c> as a variable and answer NOT_FOUND for an unknown id as GitHub does. Deviations: the query is
/// recognised by its field names, not parsed; GraphQL logins drop REST's "[bot]" suffix; <c>resolvedBy</c> is a
/// <c>User</c> in GitHub's schema, so when an App resolves a thread the fake answers null there (what GitHub answers
/// is not pinned down; the product accepts both).
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly Dictionary<long, FakeThreadState> _threadStates = [];
    private readonly List<(string Mutation, long RootId)> _threadMutations = [];

    /// <summary>The thread of root comment <paramref name="commentId"/> now.</summary>
    public FakeThreadState ThreadOf(long commentId)
    {
        lock (_state) return _threadStates.GetValueOrDefault(commentId) ?? new FakeThreadState(false, null);
    }

    /// <summary>Every resolve/unresolve mutation served, in order ("resolve" or "unresolve", root comment id).</summary>
    public IReadOnlyList<(string Mutation, long RootId)> ThreadMutations
    {
        get { lock (_state) return [.. _threadMutations]; }
    }

    /// <summary>A person resolving the thread in the web UI.</summary>
    public void ResolveThreadAs(long commentId, string login)
    {
        lock (_state) _threadStates[commentId] = new FakeThreadState(true, login);
    }

    /// <summary>The answer when <paramref name="query"/> is about review threads; else null.</summary>
    private JsonObject? AnswerReviewThreads(string query, JsonObject variables, Caller caller)
    {
        var unresolve = query.Contains("unresolveReviewThread", StringComparison.Ordinal);
        if (unresolve || query.Contains("resolveReviewThread", StringComparison.Ordinal))
        {
            var threadId = variables["threadId"]?.GetValue<string>() ?? "";
            lock (_state)
            {
                if (!threadId.StartsWith("PRRT_", StringComparison.Ordinal)
                    || !long.TryParse(threadId[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var rootId)
                    || _comments.GetValueOrDefault(rootId) is not { InReplyToId: null })
                    return new JsonObject
                    {
                        ["data"] = new JsonObject { [unresolve ? "unresolveReviewThread" : "resolveReviewThread"] = null },
                        ["errors"] = new JsonArray(new JsonObject { ["type"] = "NOT_FOUND", ["message"] = $"Could not resolve to a node with the global id of '{threadId}'" }),
                    };
                _threadStates[rootId] = unresolve ? new FakeThreadState(false, null) : new FakeThreadState(true, caller.IsApp ? null : caller.User.Login);
                _threadMutations.Add((unresolve ? "unresolve" : "resolve", rootId));
                var thread = new JsonObject { ["thread"] = new JsonObject { ["id"] = threadId, ["isResolved"] = !unresolve } };
                return new JsonObject { ["data"] = new JsonObject { [unresolve ? "unresolveReviewThread" : "resolveReviewThread"] = thread } };
            }
        }
        if (!query.Contains("reviewThreads", StringComparison.Ordinal)) return null;

        var owner = variables["owner"]?.GetValue<string>() ?? "";
        var name = variables["name"]?.GetValue<string>() ?? "";
        var number = variables["number"]?.GetValue<int>() ?? 0;
        var pr = PullRequest(owner, name, number);
        if (pr is null) return GraphQLError($"Could not resolve to a PullRequest with the number of {number}.");
        var cursor = variables["cursor"]?.GetValue<string>();
        var offset = cursor is null ? 0 : int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor))[7..], CultureInfo.InvariantCulture);
        lock (_state)
        {
            var roots = Comments(owner, name, number).Where(c => c.InReplyToId is null).ToList();
            var page = roots.Skip(offset).Take(100).ToList();
            var end = offset + page.Count;
            var nodes = new JsonArray([.. page.Select(c =>
            {
                var state = _threadStates.GetValueOrDefault(c.Id) ?? new FakeThreadState(false, null);
                return (JsonNode)new JsonObject
                {
                    ["id"] = $"PRRT_{c.Id}",
                    ["isResolved"] = state.IsResolved,
                    ["resolvedBy"] = state.ResolvedBy is { } by ? new JsonObject { ["login"] = by } : null,
                    ["comments"] = new JsonObject
                    {
                        ["nodes"] = new JsonArray(new JsonObject { ["databaseId"] = c.Id, ["author"] = new JsonObject { ["login"] = GraphQLLogin(c.User) } }),
                    },
                };
            })]);
            return new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["repository"] = new JsonObject
                    {
                        ["pullRequest"] = new JsonObject
                        {
                            ["reviewThreads"] = new JsonObject
                            {
                                ["nodes"] = nodes,
                                ["pageInfo"] = new JsonObject
                                {
                                    ["hasNextPage"] = end < roots.Count,
                                    ["endCursor"] = page.Count == 0 ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes($"cursor:{end}")),
                                },
                            },
                        },
                    },
                },
            };
        }
    }

    private static string GraphQLLogin(FakeUser user) => user.Login.EndsWith("[bot]", StringComparison.Ordinal) ? user.Login[..^5] : user.Login;
}

/// <summary>A review thread's resolution: <see cref="ResolvedBy"/> is the person's login, null when unresolved or resolved by an App.</summary>
public sealed record FakeThreadState(bool IsResolved, string? ResolvedBy);
