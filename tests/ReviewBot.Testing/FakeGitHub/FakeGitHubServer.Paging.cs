using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// GitHub's page-based pagination: <c>per_page</c> (default 30, at most 100) and <c>page</c> (1-based), and a
/// <c>Link</c> header with absolute URLs. GitHub's order of relations is kept: <c>prev</c>, <c>next</c>, <c>last</c>,
/// <c>first</c>, each present only when it points somewhere other than nowhere (no <c>prev</c>/<c>first</c> on page 1,
/// no <c>next</c>/<c>last</c> on the last page). Other query parameters are carried over into the links.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private static IReadOnlyList<T> Page<T>(HttpContext context, IReadOnlyList<T> all)
    {
        var query = context.Request.Query;
        var perPage = int.TryParse(query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var pp) && pp > 0 ? Math.Min(pp, 100) : 30;
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var lastPage = Math.Max(1, (all.Count + perPage - 1) / perPage);

        var links = new List<string>();
        if (page > 1) links.Add(Link(context, Math.Min(page - 1, lastPage), "prev"));
        if (page < lastPage)
        {
            links.Add(Link(context, page + 1, "next"));
            links.Add(Link(context, lastPage, "last"));
        }
        if (page > 1) links.Add(Link(context, 1, "first"));
        if (links.Count > 0) context.Response.Headers["Link"] = string.Join(", ", links);
        return [.. all.Skip((page - 1) * perPage).Take(perPage)];
    }

    private static string Link(HttpContext context, int page, string rel)
    {
        var request = context.Request;
        var query = request.Query.ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString());
        query["page"] = page.ToString(CultureInfo.InvariantCulture);
        var url = QueryHelpers.AddQueryString($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", query);
        return $"<{url}>; rel=\"{rel}\"";
    }
}
