using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Auth;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Dashboard;
using ReviewBot.Functions.GitHub.Auth;
using ReviewBot.Functions.GitLab;
using ReviewBot.Functions.Hosting;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Reporting;
using ReviewBot.Functions.Routing;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;
using ReviewBot.Functions.Webhooks;

namespace ReviewBot.Functions;

public partial class Program
{
    public static void Main(string[] args) => Build(args).Run();

    /// <summary>The whole app; tests call this with their own settings and start it on a free port.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddHosting();
        builder.AddApiAuth();
        builder.AddStorage();
        builder.AddReviewConfiguration();
        builder.AddRouting();
        builder.AddTasks();
        builder.AddAgents();
        builder.AddWebhooks();
        builder.AddGitHubAuth();
        builder.AddGitLab();
        builder.AddReporting();
        builder.AddJobs();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseHosting();
        app.UseDashboard();
        app.UseApiAuth();
        app.UseAgentAuthentication();
        app.MapAgents();
        app.MapTasks();
        app.MapRouting();
        app.MapWebhooks();
        app.MapGitLab();
        app.MapJobs();
        app.MapMetricsEndpoints();
        return app;
    }
}
