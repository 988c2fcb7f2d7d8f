using Azure;
using Microsoft.AspNetCore.Diagnostics;

namespace ReviewBot.Functions.Storage;

/// <summary>
/// A request that failed because storage did not answer (connection refused, reset or timed out, a 5xx, throttling)
/// after the SDK's own retries is answered <b>503 problem+json with <c>Retry-After</c></b>, never a 500: it is not the
/// client's mistake and the same request can succeed later. What such a request leaves behind is safe to repeat: every
/// store writes what makes work findable before what marks it done (index rows before tasks, tasks before the
/// delivery's dedupe row), so a repeated webhook delivery is not answered "duplicate" and does what is missing (task
/// ids are deterministic, so nothing runs twice).
/// </summary>
public sealed partial class StorageOutageHandler(IProblemDetailsService problems, ILogger<StorageOutageHandler> log) : IExceptionHandler
{
    /// <summary>What the 503 asks the client to wait (GitHub and GitLab do not redeliver by themselves: a person or a
    /// script does, and this tells them when).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>Whether <paramref name="e"/> says storage could not answer, rather than refused the request
    /// (a 4xx such as 404, 409 or 412 is the app's logic, not an outage). A bare <see cref="IOException"/> is not one:
    /// the client's own body fails that way (<see cref="BadHttpRequestException"/>: too large, too slow → 413, 408).
    /// Transport failures count inside the SDK's retry failure, where they are storage's.</summary>
    public static bool IsOutage(Exception e) => e switch
    {
        BadHttpRequestException => false,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsFailedAttempt),
        OperationCanceledException or TimeoutException => true,
        _ => false,
    };

    /// <summary>One failed attempt of the SDK's retries: a storage answer that is an outage, or the transport's failure.</summary>
    private static bool IsFailedAttempt(Exception e) =>
        e is not BadHttpRequestException && (IsOutage(e) || e is IOException or HttpRequestException);

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsOutage(exception) || context.RequestAborted.IsCancellationRequested || context.Response.HasStarted) return false;
        LogOutage(log, context.Request.Method, context.Request.Path, exception.Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Storage unavailable",
                Detail = $"The app's storage did not answer; nothing was recorded as done. Send the same request again after {(int)RetryAfter.TotalSeconds} s.",
            },
        });
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: storage did not answer ({Reason})")]
    private static partial void LogOutage(ILogger logger, string method, string path, string reason);
}
