namespace ReviewBot.Functions.Stats;

public static class StatsRegistration
{
    /// <summary>Hourly rollups of ended tasks (<see cref="RollupStore"/>, fed by <see cref="RollupFeed"/>) and
    /// <c>GET /api/stats/hourly</c> for the dashboard's overview charts.</summary>
    public static WebApplicationBuilder AddStats(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RollupStore>();
        builder.Services.AddSingleton<RollupFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RollupFeed>());
        return builder;
    }

    public static WebApplication MapStats(this WebApplication app)
    {
        app.MapStatsEndpoints();
        return app;
    }
}
