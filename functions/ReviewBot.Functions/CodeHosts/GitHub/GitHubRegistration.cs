using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.CodeHosts.GitHub.Contents;
using ReviewBot.Functions.CodeHosts.GitHub.Fixes;
using ReviewBot.Functions.CodeHosts.GitHub.Jobs;
using ReviewBot.Functions.CodeHosts.GitHub.Reminders;
using ReviewBot.Functions.CodeHosts.GitHub.Reporting;
using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Jobs.Scheduling;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reporting;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.CodeHosts.GitHub;

public static class GitHubRegistration
{
    /// <summary>
    /// Everything GitHub, plugged into the capabilities through their ports: the options and clients
    /// (<see cref="GitHubAuthRegistration.AddGitHubAuth"/>), the webhook's event handlers, the reporter
    /// (<see cref="ICodeHostReporter"/>), the reminders' pull request reader (<see cref="ICodeHostReader"/>), clone
    /// credentials (<see cref="ISourceResolver"/>), and where jobs clone from and poll (<see cref="IJobSources"/>, <see cref="IBranchHeads"/>).
    /// </summary>
    public static WebApplicationBuilder AddGitHub(this WebApplicationBuilder builder)
    {
        builder.AddGitHubAuth();
        var services = builder.Services;
        services.AddSingleton<GitHubSource>();
        services.AddSingleton<CheckRerunIngest>();
        services.AddSingleton<ApplyFixesRequest>();
        services.AddSingleton<JobEventIngest>();
        services.AddSingleton<OkToTestIngest>();
        services.AddSingleton<BindComments>();
        services.AddSingleton<ICodeHostReporter, GitHubReporter>();
        services.AddSingleton<IConfigCheckPublisher, ConfigCheckPublisher>();
        services.AddSingleton<IRepositoryReader, GitHubRepositoryReader>();
        services.AddSingleton<ICodeHostReader, GitHubPullRequestReader>();
        services.AddSingleton<CloneCredentials>();
        services.AddSingleton<ISourceResolver>(sp => sp.GetRequiredService<CloneCredentials>());
        services.AddSingleton<IJobSources, GitHubJobSources>();
        services.AddSingleton<GitHubAppClients>();
        services.AddSingleton<IBranchHeads, GitHubBranchHeads>();
        return builder;
    }

    /// <summary><c>POST /api/github/webhook</c>.</summary>
    public static WebApplication MapGitHub(this WebApplication app)
    {
        app.MapGitHubWebhookEndpoints();
        return app;
    }
}
