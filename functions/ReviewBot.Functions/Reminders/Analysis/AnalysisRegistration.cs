using Microsoft.Extensions.DependencyInjection.Extensions;
using ReviewBot.Functions.CodeHosts.GitHub.Reminders;
using ReviewBot.Functions.CodeHosts.GitLab.Reminders;

namespace ReviewBot.Functions.Reminders.Analysis;

public static class AnalysisRegistration
{
    /// <summary>
    /// The code host readers (one line per host: a new host is a folder with an <see cref="ICodeHostReader"/> and a
    /// line here), <see cref="ReminderAnalyzer"/>, the cached <see cref="ReminderDashboard"/> and
    /// <see cref="ReminderAnalysisOptions"/>. Needs <c>AddGitHubAuth</c> and <c>AddGitLab</c>.
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

        services.AddSingleton<ICodeHostReader, GitHubPullRequestReader>();
        services.AddSingleton<ICodeHostReader, GitLabMergeRequestReader>();

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
