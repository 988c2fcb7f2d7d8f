namespace ReviewBot.Functions.Dashboard;

public static class DashboardRegistration
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DashboardRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DashboardRelay>());
        return builder;
    }

    /// <summary>Maps the dashboard hub at <see cref="DashboardHub.Path"/>, open; chain <c>.RequireAuthorization(policy)</c>
    /// on the returned builder to put it behind a policy.</summary>
    public static HubEndpointConventionBuilder MapDashboardHub(this IEndpointRouteBuilder app) => app.MapHub<DashboardHub>(DashboardHub.Path);
}
