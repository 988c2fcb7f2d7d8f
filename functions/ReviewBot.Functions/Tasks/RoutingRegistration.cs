namespace ReviewBot.Functions.Tasks;

public static class RoutingRegistration
{
    public static WebApplicationBuilder AddRouting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TaskDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TaskDispatcher>());
        return builder;
    }

    public static WebApplication MapRouting(this WebApplication app)
    {
        app.MapLabelEndpoints();
        return app;
    }
}
