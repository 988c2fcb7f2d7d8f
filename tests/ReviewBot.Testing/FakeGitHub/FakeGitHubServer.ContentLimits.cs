using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// GitHub's secondary limits as far as a review bot meets them. Content creation: at most
/// <see cref="ContentCreationLimitPerMinute"/> content-creating requests (POST/PATCH/PUT/DELETE on reviews, review
/// comments, check runs and statuses) per credential in any sliding 60 s on <see cref="Time"/>, and
/// <see cref="ContentCreationLimitPerHour"/> in any sliding hour; beyond that GitHub's 403 with <c>Retry-After: 60</c>.
/// Every authorised content-creating request counts, whether or not it then passes validation; refused ones do not.
/// Concurrency: the peak number of requests in flight is recorded (GitHub allows 100), not enforced.
/// </summary>
public sealed partial class FakeGitHubServer
{
    public const string ContentLimitMessage =
        "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.";

    private readonly Dictionary<string, Queue<DateTimeOffset>> _contentByCredential = [];
    private int _secondaryLimitHits;
    private int _inFlight;
    private int _peakInFlight;

    public int ContentCreationLimitPerMinute { get; set; } = 80;
    public int ContentCreationLimitPerHour { get; set; } = 500;

    /// <summary>Requests answered with the content-creation 403.</summary>
    public int SecondaryLimitHits => Volatile.Read(ref _secondaryLimitHits);

    /// <summary>The most requests the fake had in flight at once.</summary>
    public int ConcurrentRequestsPeak => Volatile.Read(ref _peakInFlight);

    /// <summary>Requests being answered right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Authorises the request (401 otherwise) and, when it creates content, charges the caller's budget (403 when spent).</summary>
    private Caller Admit(HttpRequest request, bool createsContent)
    {
        if (Unauthorized(request) is { } refused) throw new FakeApiException(refused);
        var caller = CallerOf(request);
        if (createsContent) Charge(caller);
        return caller;
    }

    /// <summary>Counts one content-creating request against the caller's budget, or refuses it with GitHub's 403.</summary>
    private void Charge(Caller caller)
    {
        var now = Time.GetUtcNow();
        lock (_contentByCredential)
        {
            if (!_contentByCredential.TryGetValue(caller.Token, out var times)) _contentByCredential[caller.Token] = times = new Queue<DateTimeOffset>();
            while (times.Count > 0 && now - times.Peek() >= TimeSpan.FromHours(1)) times.Dequeue();
            var lastMinute = times.Count(t => now - t < TimeSpan.FromMinutes(1));
            if (lastMinute >= ContentCreationLimitPerMinute || times.Count >= ContentCreationLimitPerHour)
            {
                Interlocked.Increment(ref _secondaryLimitHits);
                var e = new FakeApiException(StatusCodes.Status403Forbidden, ContentLimitMessage);
                e.Headers["Retry-After"] = "60";
                throw e;
            }
            times.Enqueue(now);
        }
    }

    /// <summary>Wraps every request of the server (see <see cref="StartAsync"/>) to track the in-flight peak.</summary>
    private async Task CountInFlightAsync(Func<Task> next)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakInFlight); now > peak; peak = Volatile.Read(ref _peakInFlight))
        {
            if (Interlocked.CompareExchange(ref _peakInFlight, now, peak) == peak) break;
        }
        try
        {
            await next();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>
    /// Recorded non-GET requests to <paramref name="owner"/>/<paramref name="repo"/>'s endpoints, whatever their answer.
    /// With <paramref name="number"/>, only those about that pull request: <c>pulls/{n}/…</c>, <c>pulls/comments/{id}</c>
    /// of its comments, and check runs and statuses on any head commit it has had.
    /// </summary>
    public int WriteRequests(string owner, string repo, int? number = null)
    {
        var prefix = $"{PathBase}/repos/{owner}/{repo}/";
        var writes = Requests.Where(r => r.Method != "GET" && r.Path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (number is not { } n) return writes.Count;
        var heads = PullRequest(owner, repo, n)?.Heads.Select(h => h.Sha).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        return writes.Count(r => IsAbout(r.Path[prefix.Length..], r.Body));

        bool IsAbout(string rest, string body)
        {
            if (Regex.Match(rest, @"^pulls/(\d+)(/|$)") is { Success: true } pull)
                return int.Parse(pull.Groups[1].Value, CultureInfo.InvariantCulture) == n;
            if (Regex.Match(rest, @"^pulls/comments/(\d+)$") is { Success: true } comment)
                return CommentPull(long.Parse(comment.Groups[1].Value, CultureInfo.InvariantCulture)) == n;
            if (Regex.Match(rest, @"^statuses/([0-9a-fA-F]+)$") is { Success: true } status)
                return heads.Contains(status.Groups[1].Value);
            if (Regex.Match(rest, @"^check-runs/(\d+)$") is { Success: true } run)
                return CheckRunHeadSha(long.Parse(run.Groups[1].Value, CultureInfo.InvariantCulture)) is { } sha && heads.Contains(sha);
            if (rest == "check-runs")
                return Regex.Match(body, "\"head_sha\"\\s*:\\s*\"([0-9a-fA-F]+)\"") is { Success: true } m && heads.Contains(m.Groups[1].Value);
            return false;
        }
    }
}
