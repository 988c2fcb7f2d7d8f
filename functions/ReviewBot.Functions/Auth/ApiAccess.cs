using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Auth;

/// <summary>
/// Which requests need a key and which role. Everything under <c>/api</c> needs one, except what authenticates itself
/// (the GitHub and GitLab webhooks by signature or token, the agents' hub by agent token) and the health probe.
/// Reads (GET, HEAD, the label evaluator, the dashboard's hub) need <c>read</c>; every other method needs <c>admin</c>.
/// The dashboard's static files are outside <c>/api</c> and public: they hold no data.
/// </summary>
public static class ApiAccess
{
    public const string ReadPolicy = "api-read";
    public const string AdminPolicy = "api-admin";

    /// <summary>The browsers' live-update hub (built with the logs); reads only, and the one path where <c>access_token</c> counts.</summary>
    public const string DashboardHubPath = "/api/dashboard/hub";

    /// <summary>Each checks its caller its own way: webhook signatures or tokens, agent tokens (hub, the service's
    /// negotiate, the agents' credential exchange), the SignalR Service's upstream signature, chat platforms' request signatures.</summary>
    private static readonly string[] SelfAuthenticated =
        ["/api/github/webhook", "/api/gitlab/webhook", AgentProtocol.HubPath, AgentCredentialFormat.Path, "/api/negotiate", "/api/signalr", "/api/chat", "/api/health"];
    private static readonly string[] ReadOnlyPosts = ["/api/labels/evaluate", DashboardHubPath];

    public static bool NeedsKey(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !SelfAuthenticated.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Paths outside <c>/api</c> whose endpoint decides itself whether it needs a key (<c>/metrics</c>: a read
    /// key unless <c>ReviewBot:Telemetry:AnonymousMetrics</c>); a key sent there is checked.</summary>
    private static readonly string[] KeyedByEndpoint = ["/metrics"];

    /// <summary>Whether a key sent with the request is read: wherever one is needed, and where the endpoint decides.</summary>
    public static bool ReadsKey(PathString path) =>
        NeedsKey(path) || KeyedByEndpoint.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static string PolicyFor(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
        || ReadOnlyPosts.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
            ? ReadPolicy : AdminPolicy;

    public static WebApplicationBuilder AddApiAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAuthentication(ApiKeyHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, p => p.RequireAuthenticatedUser().RequireRole(ApiRoles.Read, ApiRoles.Admin))
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(ApiRoles.Admin));
        return builder;
    }

    /// <summary>Applies the rule above to every request before its endpoint runs; endpoints may also name the policies.</summary>
    public static WebApplication UseApiAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (!NeedsKey(context.Request.Path)) { await next(); return; }
            var auth = context.RequestServices.GetRequiredService<IAuthorizationService>();
            var result = await auth.AuthorizeAsync(context.User, PolicyFor(context.Request));
            if (result.Succeeded) await next();
            else if (context.User.Identity?.IsAuthenticated == true) await context.ForbidAsync(ApiKeyHandler.SchemeName);
            else await context.ChallengeAsync(ApiKeyHandler.SchemeName);
        });
        app.UseAuthorization();
        app.MapGet("/api/auth/me", (HttpContext c) => TypedResults.Ok(new ApiCaller(c.User.Identity?.Name ?? "", c.User.IsInRole(ApiRoles.Admin) ? ApiRoles.Admin : ApiRoles.Read)))
            .WithTags("Auth");
        return app;
    }
}

/// <summary>Who a key is (<c>GET /api/auth/me</c>): the dashboard checks a key with it and hides admin actions for read keys.</summary>
public sealed record ApiCaller(string Name, string Role);
