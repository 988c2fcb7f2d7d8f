using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Logs;

/// <summary>
/// <c>GET /api/tasks/{id}/log</c>: the whole log as text/plain, while the task runs and after. An archived log goes out
/// as stored (<c>Content-Encoding: gzip</c>) when the request accepts gzip, else inflated on the fly.
/// <c>?tail=N</c> (1..10000) gives the last N lines; <c>Range: bytes=a-b | a- | -n</c> gives 206 over the uncompressed
/// bytes (416 when unsatisfiable; Range is ignored with tail, and a multi-range request gets the whole log).
/// ETag and Last-Modified come from the blob; If-None-Match answers 304.
/// </summary>
public static class LogEndpoints
{
    public const int MaxTail = 10_000;

    public static IEndpointRouteBuilder MapLogEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tasks/{id}/log", Get).WithTags("Tasks");
        return app;
    }

    public static async Task<Results<LogHttpResult, ProblemHttpResult>> Get(string id, string? tail, HttpRequest request, TaskStore tasks, LogReader reader, CancellationToken ct)
    {
        int? lines = null;
        if (tail is not null)
        {
            if (!int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > MaxTail)
                return TypedResults.Problem(statusCode: 400, title: "Invalid query", detail: $"tail must be a whole number of lines between 1 and {MaxTail}.",
                    extensions: new Dictionary<string, object?> { ["field"] = "tail" });
            lines = n;
        }
        if (await tasks.GetAsync(id, ct) is null)
            return TypedResults.Problem(statusCode: 404, title: "No such task", detail: $"No task with id '{id}'.");

        var source = await reader.OpenAsync(id, ct);
        if (source.Kind == LogKind.None) return LogHttpResult.Bytes(200, []);
        var gzip = source.Kind == LogKind.Archived && AcceptsGzip(request);
        var tag = source.Kind == LogKind.Archived
            ? new EntityTagHeaderValue($"\"{Unquote(source.ETag.ToString())}{(gzip ? "-gzip" : "")}\"")
            : new EntityTagHeaderValue($"\"{Unquote(source.ETag.ToString())}\"");
        if (request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match && match.Any(m => m.Compare(tag, useStrongComparison: false) || m.Equals(EntityTagHeaderValue.Any)))
            return LogHttpResult.NotModified(tag);

        if (lines is { } count)
            return LogHttpResult.Bytes(200, await reader.TailAsync(source, count, ct)) with { ETag = tag, LastModified = source.LastModified };

        if (request.Headers.Range.Count > 0 && request.GetTypedHeaders().Range is { Unit.Value: "bytes", Ranges.Count: 1 } range)
        {
            var r = range.Ranges.First();
            long from, to;
            if (r.From is { } a) (from, to) = (a, Math.Min(r.To ?? long.MaxValue, source.Length - 1));
            else (from, to) = (Math.Max(0, source.Length - (r.To ?? 0)), source.Length - 1);
            if (from >= source.Length || to < from || (r.From is null && r.To is 0))
                return LogHttpResult.Unsatisfiable(source.Length);
            return new LogHttpResult(206, to - from + 1, null, (body, token) => reader.CopyTextAsync(source, from, to - from + 1, body, token))
            {
                ContentRange = $"bytes {from}-{to}/{source.Length}", ETag = tag, LastModified = source.LastModified,
            };
        }

        if (gzip)
            return new LogHttpResult(200, source.StoredLength, "gzip", (body, token) => reader.CopyCompressedAsync(source, body, token))
                { ETag = tag, LastModified = source.LastModified };
        return new LogHttpResult(200, source.Length, null, (body, token) => reader.CopyTextAsync(source, 0, source.Length, body, token))
            { ETag = tag, LastModified = source.LastModified };
    }

    /// <summary>True when Accept-Encoding lists gzip (or *) with a non-zero quality and does not refuse gzip.</summary>
    public static bool AcceptsGzip(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        if (accepted is null || accepted.Count == 0) return false;
        var gzip = accepted.FirstOrDefault(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase));
        if (gzip is not null) return gzip.Quality is not { } q || q > 0;
        var any = accepted.FirstOrDefault(e => e.Value.Equals("*", StringComparison.Ordinal));
        return any is not null && (any.Quality is not { } anyQ || anyQ > 0);
    }

    private static string Unquote(string etag) => etag.Trim('"');
}
