using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// A fake GitHub REST API on Kestrel (127.0.0.1, a free port) that checks requests the way GitHub does and records
/// every one. Routes live under <see cref="PathBase"/>: "" for github.com, "/api/v3" for GitHub Enterprise, so a
/// client on the wrong base gets 404. Feature areas are partial files (<c>FakeGitHubServer.Apps.cs</c>); add
/// <c>FakeGitHubServer.Checks.cs</c>, <c>.Reviews.cs</c> and so on beside it, each mapping its routes in a
/// <c>MapXxx(RouteGroupBuilder)</c> called from <see cref="StartAsync"/>.
/// </summary>
public sealed partial class FakeGitHubServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;

    private FakeGitHubServer(string pathBase, TimeProvider time)
    {
        PathBase = pathBase;
        Time = time;
    }

    /// <summary>"" or e.g. "/api/v3".</summary>
    public string PathBase { get; }

    /// <summary>The server's clock: token expiry and JWT checks read it. Share a FakeTimeProvider with the client under test.</summary>
    public TimeProvider Time { get; }

    /// <summary>The API base a client should be configured with, ending in '/'.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeGitHubServer> StartAsync(string pathBase = "", TimeProvider? time = null)
    {
        var server = new FakeGitHubServer(pathBase.TrimEnd('/'), time ?? TimeProvider.System);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use((context, next) => server.CountInFlightAsync(() => next(context)));
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            server._requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.Headers.Authorization.ToString(), body));
            if (string.IsNullOrEmpty(context.Request.Headers.UserAgent))
            {
                // GitHub refuses requests without a User-Agent.
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new { message = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header." });
                return;
            }
            if (await server.TryRefuseAsync(context)) return;
            await next(context);
        });
        var api = app.MapGroup(server.PathBase);
        server.MapApps(api);
        server.MapRateLimit(api);
        server.MapPulls(api);
        server.MapReviews(api);
        server.MapIssueComments(api);
        server.MapChecks(api);
        server.MapStatuses(api);
        server.MapBranches(api);
        server.MapContents(api);
        server.MapCollaborators(api);
        server.MapGitData(api);
        server.MapOpenPulls(app, api);
        await app.StartAsync().WaitAsync(Timeouts.Short);
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.ApiUrl = new Uri($"{address.TrimEnd('/')}{server.PathBase}/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync().WaitAsync(Timeouts.Short);
        await _app.DisposeAsync();
        AppKey.Dispose();
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new { message, documentation_url = "https://docs.github.com/rest" }, statusCode: status);
}

/// <summary>One request as the fake saw it; <see cref="Path"/> includes the path base.</summary>
public sealed record RecordedRequest(string Method, string Path, string Authorization, string Body);
