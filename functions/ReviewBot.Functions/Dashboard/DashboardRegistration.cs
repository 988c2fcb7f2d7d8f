using Microsoft.Net.Http.Headers;

namespace ReviewBot.Functions.Dashboard;

/// <summary>
/// The dashboard: static files from wwwroot at <c>/</c> (HTML, JS modules, CSS, the SignalR client copied from npm at
/// build). They hold no data and need no key; the browser asks for one and sends it to <c>/api</c>.
/// </summary>
public static class DashboardRegistration
{
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
