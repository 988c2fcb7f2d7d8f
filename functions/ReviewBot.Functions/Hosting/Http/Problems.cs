using Microsoft.AspNetCore.Http.HttpResults;

namespace ReviewBot.Functions.Hosting.Http;

/// <summary>The API's problem answers (RFC 9457): status, title and detail, plus <c>field</c> naming the body field,
/// query parameter or header at fault when there is one. Callers import it with <c>using static</c>.</summary>
public static class Problems
{
    /// <param name="extra">One more member of the problem object, e.g. the list of <c>errors</c>.</param>
    public static ProblemHttpResult Problem(int status, string title, string detail, string? field = null, (string Key, object Value)? extra = null)
    {
        Dictionary<string, object?>? extensions = null;
        if (field is not null) (extensions ??= [])["field"] = field;
        if (extra is { } x) (extensions ??= [])[x.Key] = x.Value;
        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);
    }
}
