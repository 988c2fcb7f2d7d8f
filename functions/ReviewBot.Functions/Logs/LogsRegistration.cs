namespace ReviewBot.Functions.Logs;

public static class LogsRegistration
{
    public static WebApplicationBuilder AddLogs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LogsOptions>().BindConfiguration(LogsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LogStore>();
        builder.Services.AddSingleton<LogReader>();
        builder.Services.AddSingleton<LogArchive>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LogArchive>());
        return builder;
    }

    public static WebApplication MapLogs(this WebApplication app)
    {
        app.MapLogEndpoints();
        return app;
    }
}
