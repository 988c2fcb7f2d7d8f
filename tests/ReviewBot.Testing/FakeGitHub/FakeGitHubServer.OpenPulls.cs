using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// What the reminders read: <c>POST /graphql</c> (GitHub Enterprise: <c>/api/graphql</c>) answering the open
/// pull requests query and the one-pull-request query from seeded GraphQL <c>PullRequest</c> nodes
/// (<see cref="AddOpenPullNode"/>; tests seed them from real-shaped JSON in TestData/reminders), team members
/// (<c>GET /orgs/{org}/teams/{slug}/members</c>, paginated) and an App's installation on a repository
/// (<c>GET /repos/{owner}/{repo}/installation</c>, App JWT required). The GraphQL parsing is just enough for a fake:
/// it tells the two queries apart, reads the variables, refuses <c>first</c> above 100 as GitHub does, and refuses
/// the removed <c>Commit.pushedDate</c> field with GitHub's error. Cursors are opaque (base64 of an offset).
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly Dictionary<string, List<JsonObject>> _openPulls = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _teams = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _repoInstallations = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Repo, int Number), string> _mergeableAfterRead = [];
    private int _graphQLRequests;

    /// <summary>GraphQL requests answered (any query).</summary>
    public int GraphQLRequests => Volatile.Read(ref _graphQLRequests);

    /// <summary>The path GraphQL is served on: <c>/graphql</c>, or <c>/api/graphql</c> beside <c>/api/v3</c>.</summary>
    public string GraphQLPath => PathBase.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase) ? PathBase[..^"v3".Length] + "graphql" : PathBase + "/graphql";

    /// <summary>Seeds an open pull request as a GraphQL <c>PullRequest</c> node (a copy is kept).</summary>
    public void AddOpenPullNode(string owner, string repo, JsonObject node)
    {
        lock (_state)
        {
            var key = $"{owner}/{repo}";
            if (!_openPulls.TryGetValue(key, out var list)) _openPulls[key] = list = [];
            list.Add((JsonObject)node.DeepClone());
        }
    }

    /// <summary>After the pull request's node is next served, its <c>mergeable</c> becomes <paramref name="mergeable"/>
    /// (and <c>mergeStateStatus</c> follows): GitHub finishing its background computation.</summary>
    public void ComputeMergeableAfterNextRead(string owner, string repo, int number, string mergeable)
    {
        lock (_state) _mergeableAfterRead[($"{owner}/{repo}", number)] = mergeable;
    }

    public void AddTeam(string org, string slug, params string[] members)
    {
        lock (_state) _teams[$"{org}/{slug}"] = [.. members];
    }

    /// <summary>Installs the App on a repository (what <c>GET /repos/{o}/{r}/installation</c> answers).</summary>
    public void InstallOn(string owner, string repo, long installationId)
    {
        lock (_state) _repoInstallations[$"{owner}/{repo}"] = installationId;
    }

    private void MapOpenPulls(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapPost(GraphQLPath, (HttpContext context, CancellationToken _) => Guarded(context, async () =>
        {
            var caller = Admit(context.Request, createsContent: false);
            Interlocked.Increment(ref _graphQLRequests);
            var body = await ReadObjectAsync(context.Request);
            var query = Str(body, "query") ?? throw new FakeApiException(400, "A query attribute must be specified and must be a string.");
            var variables = body["variables"] as JsonObject ?? [];
            return Results.Json(AnswerReviewThreads(query, variables, caller) ?? AnswerGraphQL(query, variables));
        }));

        api.MapGet("/orgs/{org}/teams/{slug}/members", (string org, string slug, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            List<string>? members;
            lock (_state) members = _teams.GetValueOrDefault($"{org}/{slug}");
            if (members is null) throw new FakeApiException(404, "Not Found");
            var id = 700000L;
            return Results.Json(Page(context, members).Select(m => UserJson(new FakeUser(m, "User", id++))));
        }));

        api.MapGet("/repos/{owner}/{repo}/installation", (string owner, string repo, HttpContext context) => Guarded(context, async () =>
        {
            if (await ValidateAppJwtAsync(context.Request.Headers.Authorization.ToString()) is { } problem)
                return Error(StatusCodes.Status401Unauthorized, problem);
            long id;
            lock (_state)
            {
                if (!_repoInstallations.TryGetValue($"{owner}/{repo}", out id)) return Error(StatusCodes.Status404NotFound, "Not Found");
            }
            return Results.Json(new
            {
                id,
                account = new { login = owner, id = 1, type = "Organization" },
                app_id = AppId,
                target_type = "Organization",
                repository_selection = "selected",
                permissions = new { checks = "write", pull_requests = "write", contents = "read", members = "read" },
                events = new[] { "pull_request" },
            });
        }));
    }

    private JsonObject AnswerGraphQL(string query, JsonObject variables)
    {
        if (query.Contains("pushedDate", StringComparison.Ordinal))
            return GraphQLError("Field 'pushedDate' doesn't exist on type 'Commit'");
        foreach (Match m in FirstArgument().Matches(query))
        {
            if (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 100)
                return GraphQLError($"Requesting {m.Groups[1].Value} records on the connection exceeds the `first` limit of 100 records.");
        }
        var owner = variables["owner"]?.GetValue<string>() ?? "";
        var name = variables["name"]?.GetValue<string>() ?? "";
        var key = $"{owner}/{name}";
        List<JsonObject>? pulls;
        lock (_state) pulls = _openPulls.TryGetValue(key, out var list) ? [.. list] : _pulls.Keys.Any(k => SameRepo(k.Owner, k.Repo, owner, name)) ? [] : null;
        if (pulls is null)
            return new JsonObject
            {
                ["data"] = new JsonObject { ["repository"] = null },
                ["errors"] = new JsonArray(new JsonObject { ["type"] = "NOT_FOUND", ["path"] = new JsonArray("repository"), ["message"] = $"Could not resolve to a Repository with the name '{key}'." }),
            };

        JsonObject repository;
        if (query.Contains("pullRequests(", StringComparison.Ordinal))
        {
            var first = FirstArgument().Match(query[query.IndexOf("pullRequests(", StringComparison.Ordinal)..]) is { Success: true } fm ? int.Parse(fm.Groups[1].Value, CultureInfo.InvariantCulture) : 100;
            var cursor = variables["cursor"]?.GetValue<string>();
            var offset = cursor is null ? 0 : int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor))[7..], CultureInfo.InvariantCulture);
            var page = pulls.Skip(offset).Take(first).Select(p => Served(key, p)).ToList();
            var end = offset + page.Count;
            repository = new JsonObject
            {
                ["pullRequests"] = new JsonObject
                {
                    ["nodes"] = new JsonArray([.. page]),
                    ["pageInfo"] = new JsonObject
                    {
                        ["hasNextPage"] = end < pulls.Count,
                        ["endCursor"] = page.Count == 0 ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes($"cursor:{end}")),
                    },
                },
            };
        }
        else if (query.Contains("pullRequest(", StringComparison.Ordinal))
        {
            var number = variables["number"]?.GetValue<int>() ?? 0;
            var pr = pulls.FirstOrDefault(p => p["number"]?.GetValue<int>() == number);
            if (pr is null) return GraphQLError($"Could not resolve to a PullRequest with the number of {number}.");
            repository = new JsonObject { ["pullRequest"] = Served(key, pr) };
        }
        else
        {
            return GraphQLError("The fake answers only the pull request queries of the reminders.");
        }
        return new JsonObject { ["data"] = new JsonObject { ["repository"] = repository } };
    }

    /// <summary>A copy of the node to serve; afterwards a pending "computed" mergeability takes effect on the stored node.</summary>
    private JsonObject Served(string key, JsonObject node)
    {
        lock (_state)
        {
            var copy = (JsonObject)node.DeepClone();
            var number = node["number"]!.GetValue<int>();
            if (_mergeableAfterRead.Remove((key, number), out var mergeable))
            {
                node["mergeable"] = mergeable;
                node["mergeStateStatus"] = mergeable == "CONFLICTING" ? "DIRTY" : mergeable == "MERGEABLE" ? "CLEAN" : "UNKNOWN";
            }
            return copy;
        }
    }

    private static JsonObject GraphQLError(string message) =>
        new() { ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["locations"] = new JsonArray() }) };

    [GeneratedRegex(@"\b(?:first|last)\s*:\s*(\d+)")]
    private static partial Regex FirstArgument();
}
