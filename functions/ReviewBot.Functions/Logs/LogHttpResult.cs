using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace ReviewBot.Functions.Logs;

/// <summary>A log response: status, length, encoding and a body writer that streams from storage.</summary>
public sealed record LogHttpResult(int StatusCode, long? ContentLength, string? ContentEncoding, Func<Stream, CancellationToken, Task>? Body) : IResult
{
    public const string ContentType = "text/plain; charset=utf-8";

    public string? ContentRange { get; init; }
    public EntityTagHeaderValue? ETag { get; init; }
    public DateTimeOffset? LastModified { get; init; }

    public static LogHttpResult Bytes(int status, byte[] bytes) =>
        new(status, bytes.Length, null, (body, ct) => body.WriteAsync(bytes, ct).AsTask());

    public static LogHttpResult NotModified(EntityTagHeaderValue tag) => new(304, null, null, null) { ETag = tag };

    public static LogHttpResult Unsatisfiable(long length) =>
        new(416, 0, null, null) { ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes */{length}") };

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCode;
        var headers = response.GetTypedHeaders();
        response.Headers.AcceptRanges = "bytes";
        response.Headers.Vary = "Accept-Encoding";
        response.Headers.CacheControl = "no-cache";
        if (ETag is not null) headers.ETag = ETag;
        if (LastModified is { } at) headers.LastModified = at;
        if (StatusCode == 304) return;
        response.ContentType = ContentType;
        if (ContentRange is not null) response.Headers.ContentRange = ContentRange;
        if (ContentEncoding is not null) response.Headers.ContentEncoding = ContentEncoding;
        if (ContentLength is { } length) response.ContentLength = length;
        if (Body is null || HttpMethods.IsHead(context.Request.Method)) return;
        await Body(response.Body, context.RequestAborted);
    }
}
