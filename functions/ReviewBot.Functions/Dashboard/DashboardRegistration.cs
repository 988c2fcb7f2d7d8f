using Microsoft.Net.Http.Headers;
using ReviewBot.Functions.Auth;

namespace ReviewBot.Functions.Dashboard;

/// <summary>
/// The dashboard: static files from wwwroot at <c>/</c> (HTML, JS modules, CSS, the SignalR client copied from npm at
/// build) — they hold no data and need no key; the browser asks for one and sends it to <c>/api</c> — and its live
/// channel, the hub at <see cref="DashboardHub.Path"/> (read key required).
/// </summary>
public static class DashboardRegistration
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DashboardRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DashboardRelay>());
        return builder;
    }

    public static HubEndpointConventionBuilder MapDashboardHub(this IEndpointRouteBuilder app) =>
        app.MapHub<DashboardHub>(DashboardHub.Path).RequireAuthorization(ApiAccess.ReadPolicy);

    public static WebApplication UseDashboard(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            // Revalidate every time: a new deployment must not leave browsers on an old script.
            OnPrepareResponse = c => c.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
        return app;
    }
}
