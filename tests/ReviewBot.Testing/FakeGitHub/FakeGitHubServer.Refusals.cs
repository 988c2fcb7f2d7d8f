using Microsoft.AspNetCore.Http;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Scripted refusals: the next requests matching a method and path suffix get a canned answer (a rate-limit 403 or
/// 429, a 502, …) before reaching any route. Each refusal is used once, in the order queued. Refused requests are
/// recorded like the others.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly List<Refusal> _refusals = [];

    /// <summary>Refuses the next request whose method is <paramref name="method"/> and whose path ends with <paramref name="pathSuffix"/>.</summary>
    public void RefuseNext(string method, string pathSuffix, int status, string message, IDictionary<string, string>? headers = null)
    {
        lock (_refusals) _refusals.Add(new Refusal(method, pathSuffix, status, message, headers ?? new Dictionary<string, string>()));
    }

    /// <summary>A secondary rate limit as GitHub sends it: 403, "secondary rate limit" in the message, optionally Retry-After.</summary>
    public void RefuseNextWithSecondaryLimit(string method, string pathSuffix, int? retryAfterSeconds = null) =>
        RefuseNext(method, pathSuffix, StatusCodes.Status403Forbidden,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            retryAfterSeconds is { } s ? new Dictionary<string, string> { ["Retry-After"] = s.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null);

    /// <summary>The primary limit: 403 "API rate limit exceeded", <c>x-ratelimit-remaining: 0</c>, reset at <paramref name="reset"/>.</summary>
    public void RefuseNextWithPrimaryLimit(string method, string pathSuffix, DateTimeOffset reset) =>
        RefuseNext(method, pathSuffix, StatusCodes.Status403Forbidden, "API rate limit exceeded for installation ID 1.",
            new Dictionary<string, string>
            {
                ["x-ratelimit-limit"] = "5000",
                ["x-ratelimit-remaining"] = "0",
                ["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            });

    private async Task<bool> TryRefuseAsync(HttpContext context)
    {
        Refusal? refusal;
        lock (_refusals)
        {
            var path = context.Request.Path.Value ?? "";
            refusal = _refusals.FirstOrDefault(r => string.Equals(r.Method, context.Request.Method, StringComparison.OrdinalIgnoreCase)
                && path.EndsWith(r.PathSuffix, StringComparison.Ordinal));
            if (refusal is not null) _refusals.Remove(refusal);
        }
        if (refusal is null) return false;
        context.Response.StatusCode = refusal.Status;
        foreach (var (name, value) in refusal.Headers) context.Response.Headers[name] = value;
        await context.Response.WriteAsJsonAsync(new { message = refusal.Message, documentation_url = "https://docs.github.com/rest" });
        return true;
    }

    private sealed record Refusal(string Method, string PathSuffix, int Status, string Message, IDictionary<string, string> Headers);
}
