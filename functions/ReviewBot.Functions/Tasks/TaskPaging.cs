using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// Paging of the task lists in the API: <c>?limit=</c> (1 to <see cref="TaskListQuery.MaxLimit"/>, default
/// <see cref="TaskListQuery.DefaultLimit"/>) and <c>?cursor=</c> in; the body stays a JSON array, and the next page is
/// the <c>Link: &lt;…&amp;cursor=…&gt;; rel="next"</c> header (RFC 8288, as GitHub pages), absent on the last page.
/// </summary>
public static class TaskPaging
{
    /// <summary>The page size and the cursor, or the problem naming the parameter at fault.</summary>
    public static ProblemHttpResult? Read(string? limit, string? cursor, TaskListQuery query, out int size)
    {
        size = TaskListQuery.DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > TaskListQuery.MaxLimit))
            return Problem(400, "Invalid query", $"limit must be a whole number from 1 to {TaskListQuery.MaxLimit}.", "limit");
        if (cursor is not null && !TaskCursor.TryRead(cursor, query.Partition, out _))
            return Problem(400, "Invalid query", "cursor is not one this list gave (it continues only the list with the same filters); start again without it.", "cursor");
        return null;
    }

    /// <summary>Adds the <c>Link</c> header of the next page: this request's URL with <c>cursor</c> replaced.</summary>
    public static void LinkNext(HttpContext context, string? next)
    {
        if (next is null) return;
        var request = context.Request;
        var query = request.Query.Where(p => p.Key != "cursor").SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new KeyValuePair<string, string?>("cursor", next));
        var url = QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
        context.Response.Headers.Append("Link", $"<{url}>; rel=\"next\"");
    }
}
