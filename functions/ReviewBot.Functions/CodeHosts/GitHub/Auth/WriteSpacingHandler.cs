using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// Spaces writes (POST, PATCH, PUT, DELETE) with the same credentials at least <see cref="GitHubHttpOptions.WriteSpacing"/>
/// apart, by reserving each write a start slot. Reads pass at once. Credentials are told apart by a hash of the
/// <c>Authorization</c> header, so no token is kept as a key. Sits inside the retry handler: every attempt is paced.
/// </summary>
public sealed class WriteSpacingHandler(WriteSlots slots) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsWrite(request))
            await slots.WaitForSlotAsync(request.Headers.Authorization?.ToString() ?? "", cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>POST, PATCH, PUT, DELETE — except GraphQL, where a POST carries a query (reminders read pull
    /// requests that way) and creates nothing.</summary>
    private static bool IsWrite(HttpRequestMessage request) =>
        request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && request.Method != HttpMethod.Options
        && request.RequestUri?.AbsolutePath.EndsWith("/graphql", StringComparison.OrdinalIgnoreCase) != true;
}

/// <summary>The next free write slot per credential; a singleton, since handlers are recreated by the HTTP client factory.</summary>
public sealed class WriteSlots(IOptionsMonitor<GitHubHttpOptions> options, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task WaitForSlotAsync(string authorization, CancellationToken cancellationToken)
    {
        var spacing = options.CurrentValue.WriteSpacing;
        if (spacing <= TimeSpan.Zero) return;
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)));
        DateTimeOffset start;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_next.Count > 1024) // tokens rotate hourly: drop the slots of those long unused
                foreach (var stale in _next.Where(kv => kv.Value < now).Select(kv => kv.Key).ToList()) _next.Remove(stale);
            start = _next.TryGetValue(key, out var next) && next > now ? next : now;
            _next[key] = start + spacing;
        }
        if (start > now) await Task.Delay(start - now, time, cancellationToken);
    }
}
