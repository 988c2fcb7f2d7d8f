using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Shared request plumbing for the repository endpoints: who is calling (<see cref="Caller"/>), reading a JSON body
/// with GitHub-like answers for bad input (400 "Problems parsing JSON", 422 "Invalid request" for a wrong type), and
/// the one lock that guards all pull-request, review, check-run and status state.
/// </summary>
public sealed partial class FakeGitHubServer
{
    /// <summary>Guards every collection of the repository fakes; handlers hold it only while touching state, never while awaiting.</summary>
    private readonly Lock _state = new();

    /// <summary>The login that App installation tokens act as (GitHub: the App's slug + "[bot]").</summary>
    public string AppBotLogin { get; set; } = "reviewbot[bot]";

    /// <summary>The login behind <see cref="PersonalAccessToken"/>.</summary>
    public string TokenUserLogin { get; set; } = "reviewbot-user";

    /// <summary>An authorised caller: its token (the key for content limits), whether it is an App installation, its user.</summary>
    private sealed record Caller(string Token, bool IsApp, FakeUser User);

    /// <summary>Only valid after <see cref="Unauthorized"/> returned null.</summary>
    private Caller CallerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header[(header.IndexOf(' ') + 1)..];
        bool isApp;
        lock (IssuedTokens) isApp = IssuedTokens.ContainsKey(token);
        return isApp
            ? new Caller(token, true, new FakeUser(AppBotLogin, "Bot", 900001))
            : new Caller(token, false, new FakeUser(TokenUserLogin, "User", 900002));
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject ?? throw new FakeApiException(400, "Problems parsing JSON");
        }
        catch (JsonException)
        {
            throw new FakeApiException(400, "Problems parsing JSON");
        }
    }

    /// <summary>Runs a handler, turning a <see cref="FakeApiException"/> into GitHub's error answer.</summary>
    private static async Task<IResult> Guarded(HttpContext context, Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (FakeApiException e)
        {
            foreach (var (name, value) in e.Headers) context.Response.Headers[name] = value;
            return e.Result ?? Results.Json(e.Body, statusCode: e.Status);
        }
    }

    /// <summary>Synchronous handlers.</summary>
    private static Task<IResult> Guarded(HttpContext context, Func<IResult> handler) => Guarded(context, () => Task.FromResult(handler()));

    private static string? Str(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw Invalid($"For 'properties/{name}', {node.ToJsonString()} is not a string.");
    }

    private static int? Int(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) return i;
        throw Invalid($"For 'properties/{name}', {node.ToJsonString()} is not an integer.");
    }

    private static long? Long(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l)) return l;
        throw Invalid($"For 'properties/{name}', {node.ToJsonString()} is not an integer.");
    }

    private static DateTimeOffset? Date(JsonObject o, string name) =>
        Str(o, name) is { } s
            ? DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
                ? d
                : throw Invalid($"For 'properties/{name}', \"{s}\" is not a date-time.")
            : null;

    private static string? OneOf(JsonObject o, string name, params string[] allowed)
    {
        var s = Str(o, name);
        if (s is null || allowed.Contains(s)) return s;
        throw Invalid($"For 'properties/{name}', \"{s}\" is not one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}.");
    }

    /// <summary>GitHub's schema-validation 422: <c>"Invalid request.\n\n…"</c>.</summary>
    private static FakeApiException Invalid(string detail) => new(422, $"Invalid request.\n\n{detail}");

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static object UserJson(FakeUser u) => new { login = u.Login, id = u.Id, type = u.Type, site_admin = false };
}

/// <summary>A GitHub account as the fake reports it; <see cref="Type"/> is "User" or "Bot".</summary>
public sealed record FakeUser(string Login, string Type, long Id);

/// <summary>An error answer, thrown from deep in validation; <see cref="Body"/> is GitHub's JSON.</summary>
public sealed class FakeApiException : Exception
{
    public FakeApiException(int status, string message, object? errors = null)
        : base(message)
    {
        Status = status;
        Body = errors is null
            ? new { message, documentation_url = "https://docs.github.com/rest" }
            : new { message, errors, documentation_url = "https://docs.github.com/rest", status = status.ToString(CultureInfo.InvariantCulture) };
    }

    /// <summary>Wraps an answer made elsewhere (e.g. <see cref="FakeGitHubServer.Unauthorized"/>).</summary>
    public FakeApiException(IResult result)
        : this(0, "refused") => Result = result;

    public int Status { get; }
    public object Body { get; }
    public IResult? Result { get; }
    public Dictionary<string, string> Headers { get; } = [];
}
