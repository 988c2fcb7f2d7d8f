using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReviewBot.Functions.Reminders.Chat.DingTalk;
using ReviewBot.Functions.Reminders.Chat.Feishu;

namespace ReviewBot.Tests.Reminders.Chat;

/// <summary>One message a fake group robot accepted or refused.</summary>
/// <param name="Mentions">The chat ids @-mentioned, in the platform's own syntax, as the platform would read them.</param>
public sealed record ChatMessage(string Platform, string Group, string Query, JsonObject Body, string Text, IReadOnlyList<string> Mentions, string? Refusal);

/// <summary>
/// Fake group robots of all four platforms on Kestrel (127.0.0.1, a free port), each at <c>/{platform}/{group}</c>. They
/// check what the real ones check and answer as they do: Feishu (sign and timestamp within an hour in the body, 20 KB,
/// well-formed <c>&lt;at id=…&gt;&lt;/at&gt;</c>; errors as HTTP 200 with <c>code</c> 19021/9499), DingTalk (sign and timestamp
/// within an hour in the query; every atUserIds/atMobiles entry also written "@id" in the text; errcode 310000), Slack
/// (a <c>text</c>, sections of at most 3000 characters, mentions <c>&lt;@U…&gt;</c>; HTTP 400 "invalid_blocks"/"no_text"),
/// WeCom (markdown of at most 4096 bytes, mentions <c>&lt;@id&gt;</c>; errcode 40058). Every request is recorded.
/// </summary>
public sealed partial class FakeChatServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ChatMessage> _messages = new();
    private readonly Func<DateTimeOffset> _now;
    private WebApplication? _app;

    private FakeChatServer(Func<DateTimeOffset> now) => _now = now;

    public string Url { get; private set; } = "";

    /// <summary>Signing secrets by group (Feishu and DingTalk); a group without one accepts unsigned messages.</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new();

    /// <summary>Every request, accepted or not, in arrival order.</summary>
    public IReadOnlyList<ChatMessage> Messages => [.. _messages];

    /// <summary>Accepted messages only.</summary>
    public IReadOnlyList<ChatMessage> Accepted => [.. _messages.Where(m => m.Refusal is null)];

    public string WebhookUrl(string platform, string group) => $"{Url}/{platform}/{group}";

    public static async Task<FakeChatServer> StartAsync(Func<DateTimeOffset> now)
    {
        var server = new FakeChatServer(now);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{platform}/{group}", server.Receive);
        await app.StartAsync().WaitAsync(Timeouts.Short);
        server._app = app;
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    private async Task<IResult> Receive(string platform, string group, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        var body = JsonNode.Parse(raw) as JsonObject ?? [];
        var query = request.QueryString.Value ?? "";
        var (text, mentions, refusal, result) = platform switch
        {
            "feishu" or "lark" => Feishu(group, raw, body),
            "dingtalk" => DingTalk(group, request, body),
            "slack" => Slack(body),
            _ => WeCom(body),
        };
        _messages.Enqueue(new ChatMessage(platform, group, query, body, text, mentions, refusal));
        return result;
    }

    private (string, List<string>, string?, IResult) Feishu(string group, string raw, JsonObject body)
    {
        var text = body["card"]?["elements"]?[0]?["text"]?["content"]?.GetValue<string>() ?? "";
        if (Encoding.UTF8.GetByteCount(raw) > FeishuPlatform.MaxBodyBytes)
            return Refuse(text, 9499, "request body too large");
        if (Secrets.TryGetValue(group, out var secret))
        {
            var ts = body["timestamp"]?.GetValue<string>();
            var ok = long.TryParse(ts, out var seconds) && Math.Abs(_now().ToUnixTimeSeconds() - seconds) <= 3600
                && body["sign"]?.GetValue<string>() == FeishuSignature.Sign(seconds, secret);
            if (!ok) return Refuse(text, 19021, "sign match fail or timestamp is not within one hour from current time");
        }

        if (text.Contains("<at", StringComparison.Ordinal) && AnyAt().Matches(text).Count != FeishuAt().Matches(text).Count)
            return Refuse(text, 9499, "malformed <at> tag");
        var mentions = FeishuAt().Matches(text).Select(m => m.Groups[1].Value).ToList();
        return (text, mentions, null, Results.Json(new { code = 0, msg = "success", data = new { } }));

        (string, List<string>, string?, IResult) Refuse(string t, int code, string msg) =>
            (t, [], $"{code} {msg}", Results.Json(new { code, msg, data = new { } }));
    }

    private (string, List<string>, string?, IResult) DingTalk(string group, HttpRequest request, JsonObject body)
    {
        var text = body["markdown"]?["text"]?.GetValue<string>() ?? "";
        if (Secrets.TryGetValue(group, out var secret))
        {
            var ts = request.Query["timestamp"].ToString();
            // ASP.NET has URL-decoded the query once, as DingTalk does.
            var ok = long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                && Math.Abs(_now().ToUnixTimeMilliseconds() - ms) <= 3_600_000
                && request.Query["sign"].ToString() == DingTalkSignature.Base64(ms, secret);
            if (!ok) return (text, [], "310000 sign not match", Results.Json(new { errcode = 310000, errmsg = "sign not match" }));
        }

        var at = body["at"] as JsonObject;
        var ids = (at?["atUserIds"]?.AsArray() ?? []).Concat(at?["atMobiles"]?.AsArray() ?? []).Select(n => n!.GetValue<string>()).ToList();
        // DingTalk notifies only people named both in "at" and, as "@id", in the text.
        var mentions = ids.Where(id => text.Contains("@" + id, StringComparison.Ordinal)).ToList();
        return (text, mentions, null, Results.Json(new { errcode = 0, errmsg = "ok" }));
    }

    private static (string, List<string>, string?, IResult) Slack(JsonObject body)
    {
        var fallback = body["text"]?.GetValue<string>();
        var sections = (body["blocks"]?.AsArray() ?? []).Select(b => b?["text"]?["text"]?.GetValue<string>() ?? "").ToList();
        var text = string.Join("\n", sections);
        if (string.IsNullOrWhiteSpace(fallback)) return (text, [], "no_text", Results.Text("no_text", statusCode: 400));
        if (sections.Any(s => s.Length > 3000) || sections.Count > 50) return (text, [], "invalid_blocks", Results.Text("invalid_blocks", statusCode: 400));
        var mentions = SlackAt().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        return (text, mentions, null, Results.Text("ok"));
    }

    private static (string, List<string>, string?, IResult) WeCom(JsonObject body)
    {
        var text = body["markdown"]?["content"]?.GetValue<string>() ?? "";
        if (Encoding.UTF8.GetByteCount(text) > 4096)
            return (text, [], "40058 markdown.content exceed max length 4096", Results.Json(new { errcode = 40058, errmsg = "markdown.content exceed max length 4096" }));
        var mentions = WeComAt().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        return (text, mentions, null, Results.Json(new { errcode = 0, errmsg = "ok" }));
    }

    [GeneratedRegex("<at id=([^ >]+)></at>")]
    private static partial Regex FeishuAt();

    [GeneratedRegex("<at[ >]")]
    private static partial Regex AnyAt();

    [GeneratedRegex("<@(U[A-Z0-9]+)>")]
    private static partial Regex SlackAt();

    [GeneratedRegex("<@([A-Za-z0-9_.-]+)>")]
    private static partial Regex WeComAt();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

/// <summary>A plain <see cref="IHttpClientFactory"/> for platforms built without a container.</summary>
public sealed class PlainHttpClientFactory : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new() { Timeout = Timeouts.Short };
}
