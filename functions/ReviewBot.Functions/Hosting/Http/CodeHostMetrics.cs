using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReviewBot.Functions.Hosting.Diagnostics;

namespace ReviewBot.Functions.Hosting.Http;

/// <summary>
/// Requests to the code hosts' APIs and the waits their rate limits imposed (meter <c>ReviewBot.CodeHosts</c>), counted
/// by every code host's HTTP client (<see cref="CodeHostResilience"/>). Tags: <c>host</c> (github, gitlab),
/// <c>method</c>, <c>status</c> (the HTTP status code, or "error" when no answer came) — a few dozen series at most.
/// </summary>
public sealed class CodeHostMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _rateLimitWaits;
    private readonly Counter<double> _rateLimitSeconds;

    public CodeHostMetrics(ReviewBotMeters meters)
    {
        var meter = meters.Create("CodeHosts");
        _requests = meter.CreateCounter<long>("reviewbot.codehost.requests", "{request}", "Requests sent to a code host's API (each attempt of a retried request counts).");
        _rateLimitWaits = meter.CreateCounter<long>("reviewbot.codehost.rate_limit_waits", "{wait}", "Retries that waited because the code host's rate limit refused a request.");
        _rateLimitSeconds = meter.CreateCounter<double>("reviewbot.codehost.rate_limit_wait_time", "s", "Time spent waiting for a code host's rate limit.");
    }

    public void Request(string host, HttpMethod method, int? status) =>
        _requests.Add(1, new TagList { { "host", host }, { "method", method.Method }, { "status", status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "error" } });

    public void RateLimitWait(string host, TimeSpan wait)
    {
        var tags = new TagList { { "host", host } };
        _rateLimitWaits.Add(1, tags);
        _rateLimitSeconds.Add(wait.TotalSeconds, tags);
    }

    /// <summary>Counts each attempt (inside the retry handler, so every attempt is one request).</summary>
    internal sealed class Handler(CodeHostMetrics? metrics, string host) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                metrics?.Request(host, request.Method, (int)response.StatusCode);
                return response;
            }
            catch
            {
                metrics?.Request(host, request.Method, null);
                throw;
            }
        }
    }
}
