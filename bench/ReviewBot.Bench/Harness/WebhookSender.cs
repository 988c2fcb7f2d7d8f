using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

namespace ReviewBot.Bench.Harness;

/// <summary>One signed delivery: when it was sent, when its answer came, when its assignment reached an agent.</summary>
public sealed class Delivery(string headSha)
{
    public string HeadSha { get; } = headSha;
    public long SentAt { get; set; }
    public long AnsweredAt { get; set; }
    public HttpStatusCode Status { get; set; }
    public long AssignedAt;

    /// <summary>The body of an answer other than 202 (a problem+json saying what was wrong).</summary>
    public string? Answer { get; set; }

    public static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}

/// <summary>
/// Posts pull_request.opened (the test fixture) with a fresh head SHA each time, so each delivery is a new revision
/// and creates new tasks; signed with the app's secret like GitHub does.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly JsonNode _template = JsonNode.Parse(File.ReadAllText(Paths.PullRequestFixture))!;
    private readonly HttpClient _http;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _sequence;

    public WebhookSender(string baseUrl) =>
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A new delivery: body built and signed now, so that <see cref="SendAsync"/> times only the request.</summary>
    public (Delivery Delivery, byte[] Body) Next()
    {
        var sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{_run}/{Interlocked.Increment(ref _sequence)}")));
        var json = _template.DeepClone();
        json["pull_request"]!["head"]!["sha"] = sha;
        return (new Delivery(sha), Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    /// <summary>A delivery of the fixture's pull request at the given head (and base, and clone URL: the app accepts
    /// only one on the host of ReviewBot:GitHub:ApiUrl).</summary>
    public (Delivery Delivery, byte[] Body) For(string headSha, string? baseSha = null, string? cloneUrl = null)
    {
        var json = _template.DeepClone();
        if (cloneUrl is not null) json["repository"]!["clone_url"] = cloneUrl;
        json["pull_request"]!["head"]!["sha"] = headSha;
        if (baseSha is not null) json["pull_request"]!["base"]!["sha"] = baseSha;
        return (new Delivery(headSha), Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    /// <summary>pull_request.base.sha of the fixture.</summary>
    public string FixtureBaseSha => _template["pull_request"]!["base"]!["sha"]!.GetValue<string>();

    public async Task SendAsync(Delivery delivery, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Compute(AppProcess.WebhookSecret, body));
        delivery.SentAt = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request);
            delivery.AnsweredAt = Stopwatch.GetTimestamp();
            delivery.Status = response.StatusCode;
            if (response.StatusCode != HttpStatusCode.Accepted) delivery.Answer = await response.Content.ReadAsStringAsync();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            delivery.AnsweredAt = Stopwatch.GetTimestamp();
            delivery.Status = 0;
        }
    }

    /// <summary>Sends <paramref name="count"/> deliveries at a steady <paramref name="perSecond"/>, open loop: a slow answer
    /// does not delay the next delivery. Completes when every answer has come.</summary>
    public async Task<IReadOnlyList<Delivery>> SendSteadyAsync(int count, double perSecond, Action<Delivery> onCreated, CancellationToken ct)
    {
        var deliveries = new List<Delivery>(count);
        var inFlight = new List<Task>(count);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            var (delivery, body) = Next();
            onCreated(delivery);
            deliveries.Add(delivery);
            inFlight.Add(SendAsync(delivery, body));
        }
        await Task.WhenAll(inFlight);
        return deliveries;
    }

    public void Dispose() => _http.Dispose();
}
