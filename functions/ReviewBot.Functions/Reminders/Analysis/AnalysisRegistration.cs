using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReviewBot.Functions.Reminders.Analysis;

public static class AnalysisRegistration
{
    /// <summary>
    /// <see cref="ReminderAnalyzer"/> over the code host readers (<see cref="ICodeHostReader"/>: each host registers its
    /// own in its <c>AddXxx()</c>), the cached <see cref="ReminderDashboard"/> and <see cref="ReminderAnalysisOptions"/>.
    /// </summary>
    public static WebApplicationBuilder AddReminderAnalysis(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReminderAnalysisOptions>()
            .BindConfiguration(ReminderAnalysisOptions.Section)
            .Configure<IConfiguration>((o, config) => o.Repositories = config.GetSection(ReminderAnalysisOptions.RepositoriesSection).Get<List<string>>() ?? [])
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<ReminderAnalyzer>();
        // What a reminder run and the chat command "status" read.
        services.AddSingleton<Policy.IBlockingSource>(sp => sp.GetRequiredService<ReminderAnalyzer>());
        services.AddSingleton<ReminderDashboard>();
        return builder;
    }

    public static WebApplication MapReminderAnalysis(this WebApplication app)
    {
        app.MapReminderEndpoints();
        return app;
    }
}
