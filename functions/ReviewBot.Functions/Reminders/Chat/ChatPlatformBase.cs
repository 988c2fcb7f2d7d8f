using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>
/// The send path every platform shares: render the text with the templates, build the platform's JSON, sign, wait for the
/// rate limiter, post, and read the answer, where a non-zero <c>code</c>/<c>errcode</c>/<c>StatusCode</c> in an HTTP 200 body
/// is an error like any other. A platform supplies its dialect, body, signing and limits.
/// </summary>
public abstract class ChatPlatformBase(IHttpClientFactory http, NoticeTemplates templates, ChatRateLimits limits, TimeProvider time)
    : IChatPlatform
{
    /// <summary>The named <see cref="HttpClient"/> every platform posts with.</summary>
    public const string HttpClientName = "ReviewBot.Chat";

    public abstract string Name { get; }

    public abstract IChatDialect Dialect { get; }

    /// <summary>The platform's published limits for one group robot.</summary>
    public abstract IReadOnlyList<RateLimitRule> RateLimits { get; }

    protected TimeProvider Time => time;

    /// <summary>The request body for <paramref name="text"/>, the rendered notice; signed here when the signature goes in the body.</summary>
    protected abstract JsonObject Body(ChatTarget target, Notice notice, string text);

    /// <summary>The URL to post to; signed here when the signature goes in the query.</summary>
    protected virtual string Url(ChatTarget target) => target.WebhookUrl;

    /// <summary>The message text, for tests and previews.</summary>
    public string Render(Notice notice) => templates.Render(Name, Dialect, notice);

    /// <summary>The JSON that <see cref="SendAsync"/> would post (tests and previews).</summary>
    public JsonObject Build(ChatTarget target, Notice notice) => Body(target, notice, Render(notice));

    public async Task SendAsync(ChatTarget target, Notice notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(notice);
        await limits.AcquireAsync(target, RateLimits, ct);
        // Signed after the wait: a timestamp taken before a long queue could fall outside the platform's window.
        var body = Build(target, notice).ToJsonString();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var response = await http.CreateClient(HttpClientName).PostAsync(Url(target), content, ct);
        var answer = await response.Content.ReadAsStringAsync(ct);
        CheckAnswer((int)response.StatusCode, answer);
    }

    /// <summary>Throws <see cref="ChatPlatformException"/> unless the answer means "sent".</summary>
    protected virtual void CheckAnswer(int status, string answer)
    {
        JsonNode? json = null;
        try
        {
            json = answer.Length == 0 ? null : JsonNode.Parse(answer);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): judged by the HTTP status alone.
        }

        var code = Int(json, "code") ?? Int(json, "errcode") ?? Int(json, "StatusCode");
        if (code is { } c && c != 0)
        {
            throw new ChatPlatformException(Name, c, Text(json, "msg") ?? Text(json, "errmsg") ?? Text(json, "StatusMessage") ?? answer);
        }

        if (status is < 200 or > 299)
        {
            throw new ChatPlatformException(Name, status, answer.Length > 500 ? answer[..500] : answer);
        }
    }

    private static int? Int(JsonNode? json, string name) =>
        json is JsonObject o && o[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    private static string? Text(JsonNode? json, string name) =>
        json is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Cuts <paramref name="text"/> at a line end so that its UTF-8 form fits in <paramref name="maxBytes"/>, saying so.</summary>
    public static string Fit(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        const string Marker = "\n… (cut: the message was longer than the platform allows)";
        var budget = maxBytes - Encoding.UTF8.GetByteCount(Marker);
        var cut = text.Length;
        while (cut > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, cut)) > budget)
        {
            var newline = text.LastIndexOf('\n', cut - 1);
            cut = newline > 0 ? newline : Math.Min(cut - 1, budget / 4);
        }

        return text[..cut] + Marker;
    }
}
