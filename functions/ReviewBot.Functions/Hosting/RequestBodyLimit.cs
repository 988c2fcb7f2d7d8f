using ReviewBot.Functions.Dashboard;
using Microsoft.AspNetCore.Http.Metadata;

namespace ReviewBot.Functions.Hosting;

/// <summary>
/// A route's own request body limit, above or below the app-wide <see cref="HostingOptions.MaxRequestBodyBytes"/>.
/// Routing applies <see cref="IRequestSizeLimitMetadata"/> to the request before the endpoint runs; a larger body is
/// refused by Kestrel as it is read, which the exception handler answers with a 413 problem. The size is read when a
/// request arrives, so a limit that is a setting is validated at start like every option, not when routes are mapped.
/// </summary>
public sealed class RequestBodyLimit(Func<long?> bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => bytes();
}

public static class RequestBodyLimitExtensions
{
    /// <summary>Requests to these routes may carry up to <paramref name="bytes"/> (read per request).</summary>
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, Func<long?> bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestBodyLimit(bytes));
}
