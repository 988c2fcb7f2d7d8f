using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Auth;
using ReviewBot.Functions.CodeHosts.GitHub;
using ReviewBot.Functions.CodeHosts.GitLab;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Dashboard;
using ReviewBot.Functions.Hosting;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Jobs.Scheduling;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Reminders.Analysis;
using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reporting;
using ReviewBot.Functions.Retention;
using ReviewBot.Functions.Stats;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;
using ReviewBot.Functions.Tasks.Backplane;
using ReviewBot.Functions.Telemetry;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions;

public partial class Program
{
    public static int Main(string[] args)
    {
        var app = Build(args);
        if (!ConfigurationRegistration.LoadsAtStart(app.Services, Console.Error)) return ConfigurationRegistration.InvalidConfigurationExitCode;
        app.Run();
        return 0;
    }

    /// <summary>The whole app; tests call this with their own settings and start it on a free port.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddHosting();
        builder.AddApiAuth();
        builder.AddStorage();
        builder.AddBackplane();
        builder.AddIngest();
        builder.AddTrust();
        builder.AddReviewConfiguration();
        builder.AddRouting();
        builder.AddTasks();
        builder.AddLogs();
        builder.AddAgents();
        builder.AddReporting();
        builder.AddJobs();
        builder.AddScheduling();
        builder.AddReminderAnalysis();
        builder.AddDashboard();
        builder.AddChatReminders();
        builder.AddRetention();
        builder.AddStats();
        builder.AddReviewBotTelemetry();
        // Code hosts: each plugs into the capabilities above through their ports (README: "Adding a code host").
        builder.AddGitHub();
        builder.AddGitLab();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseHosting();
        app.UseDashboard();
        app.UseApiAuth();
        app.UseAgentAuthentication();
        app.MapAgents();
        app.MapTasks();
        app.MapLogs();
        app.MapDashboardHub();
        app.MapRouting();
        app.MapJobs();
        app.MapRepositoryConfig();
        app.MapStats();
        app.MapReminderAnalysis();
        app.MapChatEndpoints();
        app.MapReviewBotTelemetry();
        app.MapGitHub();
        app.MapGitLab();
        return app;
    }
}
