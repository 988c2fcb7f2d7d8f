using ReviewBot.Functions.Hosting.Functions;

namespace ReviewBot.Functions.Logs;

public static class LogsRegistration
{
    public static WebApplicationBuilder AddLogs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveLogs>();
        builder.Services.AddOptions<LogsOptions>().BindConfiguration(LogsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LogStore>();
        builder.Services.AddSingleton<LogReader>();
        builder.Services.AddSingleton<LogArchive>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LogArchive>());
        // Under the Functions host the periodic sweep (logs of ended tasks still in append blobs) is a timer function.
        builder.Services.AddTimerFunction("log-compaction", "0 */5 * * * *", (sp, ct) => sp.GetRequiredService<LogArchive>().SweepAsync(ct));
        return builder;
    }

    public static WebApplication MapLogs(this WebApplication app)
    {
        app.MapLogEndpoints();
        return app;
    }
}
