using Microsoft.AspNetCore.SignalR.Client;

namespace ReviewBot.Agent.Connection;

/// <summary>
/// Exponential backoff with jitter that never gives up (except on a refused token): <see cref="Initial"/> doubling up to
/// <see cref="Max"/> (also the longest delay after jitter), each delay spread by ±<see cref="Jitter"/> so that agents cut off together
/// do not all come back in the same second (the reason actions/runner randomises its backoff).
/// Used for SignalR's automatic reconnect and for the first connect.
/// </summary>
internal sealed class JitteredBackoff(Func<double>? random = null) : IRetryPolicy
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan Max { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Fraction of the delay added or removed at random (0.5 = ±50 %).</summary>
    public double Jitter { get; init; } = 0.5;

    /// <summary>Delay before retry number <paramref name="previousRetries"/> + 1.</summary>
    public TimeSpan Delay(long previousRetries)
    {
        var exponent = Math.Min(previousRetries, 30);
        var baseMs = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, exponent));
        var factor = 1 + Jitter * (2 * _random() - 1);
        return TimeSpan.FromMilliseconds(Math.Clamp(baseMs * factor, 0, Max.TotalMilliseconds));
    }

    /// <summary>SignalR's automatic reconnect: gives up only when the server refuses the token (401), so that the
    /// connection closes and <see cref="AgentConnection"/> deals with it (register again, or stop).</summary>
    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        retryContext.RetryReason is HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized } ? null : Delay(retryContext.PreviousRetryCount);
}
