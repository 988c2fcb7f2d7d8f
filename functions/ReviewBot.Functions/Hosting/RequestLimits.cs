using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using BadHttpRequestException = Microsoft.AspNetCore.Http.BadHttpRequestException;

namespace ReviewBot.Functions.Hosting;

/// <summary>
/// Request bodies are bounded on every route (<see cref="HostingOptions.MaxRequestBodyBytes"/>, 1 MiB by default;
/// routes that need more say so with <see cref="RequestBodyLimitExtensions.WithRequestBodyLimit"/>), and the client's
/// mistakes Kestrel reports while a body is read are answered with their own status as a problem, never a 500: a body
/// too large (413), too slow for <c>MinRequestBodyDataRate</c> (408), cut short or malformed framing (400).
/// </summary>
public static class RequestLimits
{
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<HostingOptions>>((kestrel, hosting) =>
            kestrel.Limits.MaxRequestBodySize = hosting.Value.MaxRequestBodyBytes);
        builder.Services.Configure<ExceptionHandlerOptions>(o =>
        {
            o.StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            // A client's slow or oversized body is not the app's error: no error log with a stack trace for it.
            o.SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException;
        });
        return builder;
    }
}
