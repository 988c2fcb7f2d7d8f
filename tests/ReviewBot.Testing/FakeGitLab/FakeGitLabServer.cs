using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReviewBot.Testing.FakeGitLab;

/// <summary>
/// A fake GitLab REST API (<c>/api/v4</c>) on Kestrel (127.0.0.1, a free port) that records every request and checks
/// them the way GitLab does: <c>PRIVATE-TOKEN</c> (401 otherwise), discussion positions against the seeded merge
/// request's diff (<c>FakeGitLabServer.MergeRequests.cs</c>), commit status transitions
/// (<c>FakeGitLabServer.Statuses.cs</c>), and pagination with <c>X-Next-Page</c>/<c>X-Total-Pages</c>/<c>Link</c>.
/// </summary>
public sealed partial class FakeGitLabServer : IAsyncDisposable
{
    public const string Token = "glpat-fake-token-for-tests";

    private readonly ConcurrentQueue<GitLabRequest> _requests = new();
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _refusals = new();
    private WebApplication? _app;

    /// <summary>The instance URL (what <c>ReviewBot:GitLab:Url</c> is set to), without a trailing '/'.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Every request, in arrival order (paths include <c>/api/v4</c> and the query).</summary>
    public IReadOnlyList<GitLabRequest> Requests => [.. _requests];

    /// <summary>Largest page served whatever <c>per_page</c> asks (GitLab's is 100); small values exercise paging.</summary>
    public int MaxPerPage { get; set; } = 100;

    /// <summary>Leave out the X- pagination headers (GitLab does for very large listings): only <c>Link</c> says what is next.</summary>
    public bool LinkHeaderOnly { get; set; }

    /// <summary>The next request (after authentication) is refused with <paramref name="status"/>.</summary>
    public void RefuseNext(int status, string? retryAfter = null) => _refusals.Enqueue((status, retryAfter));

    public static async Task<FakeGitLabServer> StartAsync()
    {
        var server = new FakeGitLabServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            server._requests.Enqueue(new GitLabRequest(context.Request.Method, context.Request.Path.Value + context.Request.QueryString.Value,
                context.Request.Headers["PRIVATE-TOKEN"].ToString(), body));
            if (context.Request.Headers["PRIVATE-TOKEN"] != Token)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new { message = "401 Unauthorized" });
                return;
            }
            if (server._refusals.TryDequeue(out var refusal))
            {
                context.Response.StatusCode = refusal.Status;
                if (refusal.RetryAfter is not null) context.Response.Headers.RetryAfter = refusal.RetryAfter;
                await context.Response.WriteAsJsonAsync(new { message = refusal.Status == 429 ? "Retry later" : "refused by the test" });
                return;
            }
            await next(context);
        });
        var api = app.MapGroup("/api/v4");
        server.MapMergeRequests(api);
        server.MapStatuses(api);
        server.MapMembers(api);
        server.MapOpenMergeRequests(api);
        server.MapFiles(api);
        server.MapTree(api);
        await app.StartAsync().WaitAsync(Timeouts.Short);
        server._app = app;
        server.Url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>One page of <paramref name="items"/> with GitLab's pagination headers (defaults: page 1, 20 per page).</summary>
    private IResult Page<T>(HttpContext context, IReadOnlyList<T> items)
    {
        var q = context.Request.Query;
        var perPage = Math.Clamp(int.TryParse(q["per_page"], out var pp) ? pp : 20, 1, Math.Min(100, MaxPerPage));
        var page = Math.Max(int.TryParse(q["page"], out var p) ? p : 1, 1);
        var totalPages = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var h = context.Response.Headers;
        var url = $"{Url}{context.Request.Path}";
        string Link(int n, string rel)
        {
            var query = q.Where(kv => kv.Key is not ("page" or "per_page")).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value.ToString())}")
                .Append($"page={n}").Append($"per_page={perPage}");
            return $"<{url}?{string.Join('&', query)}>; rel=\"{rel}\"";
        }
        var links = new List<string>();
        if (page < totalPages) links.Add(Link(page + 1, "next"));
        if (page > 1) links.Add(Link(page - 1, "prev"));
        links.Add(Link(1, "first"));
        links.Add(Link(totalPages, "last"));
        h["Link"] = string.Join(", ", links);
        if (!LinkHeaderOnly)
        {
            h["X-Page"] = page.ToString(CultureInfo.InvariantCulture);
            h["X-Per-Page"] = perPage.ToString(CultureInfo.InvariantCulture);
            h["X-Total"] = items.Count.ToString(CultureInfo.InvariantCulture);
            h["X-Total-Pages"] = totalPages.ToString(CultureInfo.InvariantCulture);
            h["X-Next-Page"] = page < totalPages ? (page + 1).ToString(CultureInfo.InvariantCulture) : "";
            h["X-Prev-Page"] = page > 1 ? (page - 1).ToString(CultureInfo.InvariantCulture) : "";
        }
        return Results.Json(items.Skip((page - 1) * perPage).Take(perPage).ToList(), Json);
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static IResult Message(int status, string message) => Results.Json(new { message }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync().WaitAsync(Timeouts.Short);
        await _app.DisposeAsync();
    }
}

/// <summary>One request as the fake saw it.</summary>
public sealed record GitLabRequest(string Method, string PathAndQuery, string PrivateToken, string Body);
