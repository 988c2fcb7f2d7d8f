using System.Text.Json;
using Octokit;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// GitHub's GraphQL API on a connection of <see cref="IGitHubClientFactory"/>: the endpoint follows the REST base
/// (<see cref="Endpoint"/>), the body is <c>{query, variables}</c>, and GraphQL errors (answered with 200) throw.
/// </summary>
public static class GitHubGraphQL
{
    /// <summary>POSTs <paramref name="query"/> (a query or a mutation) and returns <c>data</c>.</summary>
    public static async Task<JsonElement> PostAsync(IConnection connection, string query, object variables, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        // A string body is sent as is (Octokit serialises only objects).
        var response = await connection.Post<object>(Endpoint(connection.BaseAddress), body, "application/json", "application/json", (IDictionary<string, string>?)null, ct);
        var text = response.HttpResponse.Body as string ?? throw new InvalidOperationException("GitHub GraphQL answered without a body.");
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            throw new InvalidOperationException("GitHub GraphQL: " + string.Join("; ", errors.EnumerateArray().Select(e => e.TryGetProperty("message", out var m) ? m.GetString() : e.ToString())));
        return root.GetProperty("data").Clone();
    }

    /// <summary>github.com: <c>https://api.github.com/graphql</c>; GitHub Enterprise (<c>…/api/v3/</c>): <c>…/api/graphql</c>.</summary>
    public static Uri Endpoint(Uri apiBase)
    {
        var path = apiBase.AbsolutePath.TrimEnd('/');
        return new Uri(apiBase, path.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase) ? path[..^"v3".Length] + "graphql" : path + "/graphql");
    }
}
