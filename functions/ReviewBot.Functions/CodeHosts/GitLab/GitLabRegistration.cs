using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.CodeHosts.GitLab.Contents;
using ReviewBot.Functions.CodeHosts.GitLab.Reminders;
using ReviewBot.Functions.CodeHosts.GitLab.Reporting;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
using ReviewBot.Functions.CodeHosts.GitLab.Webhooks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reporting;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.CodeHosts.GitLab;

public static class GitLabRegistration
{
    public const string HttpClientName = "gitlab";

    /// <summary>Everything GitLab, plugged into the capabilities through their ports: the validated
    /// <see cref="GitLabOptions"/> and the API client (<see cref="AddGitLabApi"/>), the webhook's handlers (merge requests
    /// as change requests, notes as approvals), the reporter (<see cref="ICodeHostReporter"/>), the reminders' merge
    /// request reader (<see cref="ICodeHostReader"/>) and clone credentials (<see cref="ISourceResolver"/>).</summary>
    public static WebApplicationBuilder AddGitLab(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddGitLabApi();
        services.AddSingleton<GitLabSource>();
        // Transient like the API client they use.
        services.AddTransient<MergeRequestChanges>();
        services.AddTransient<GitLabMembers>();
        services.AddTransient<OkToTestNoteIngest>();
        // Merges, tag pushes and pushes as job events (Jobs/JobEvents).
        services.AddSingleton<GitLabJobHooks>();
        services.AddSingleton<ICodeHostReporter, GitLabReporter>();
        services.AddSingleton<ICodeHostReader, GitLabMergeRequestReader>();
        services.AddSingleton<ISourceResolver, GitLabCloneCredentials>();
        // The repository's .reviewbot.yml and changed files (Ingest), and its refused file's failed status.
        services.AddSingleton<IRepositoryReader, GitLabRepositoryReader>();
        services.AddSingleton<IConfigCheckPublisher, GitLabConfigCheckPublisher>();
        return builder;
    }

    /// <summary>The options and the API client alone (also what tests of the client and the reporter use).</summary>
    public static IServiceCollection AddGitLabApi(this IServiceCollection services)
    {
        services.AddOptions<GitLabOptions>().BindConfiguration(GitLabOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(HttpClientName, (sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<GitLabOptions>>().Value;
            if (o.ApiBase is { } api) http.BaseAddress = api;
            if (!string.IsNullOrEmpty(o.Token)) http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", o.Token);
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ReviewBot", "1.0"));
            // The resilience handler's per-attempt timeout bounds each try; this only stops HttpClient's own 100 s default.
            http.Timeout = Timeout.InfiniteTimeSpan;
        }).AddGitLabHttpPipeline();
        services.AddTransient(sp => Client(sp.GetRequiredService<IHttpClientFactory>()));
        return services;
    }

    /// <summary><c>POST /api/gitlab/webhook</c>.</summary>
    public static WebApplication MapGitLab(this WebApplication app)
    {
        app.MapGitLabWebhookEndpoints();
        return app;
    }

    /// <summary>A client on the pooled handler; cheap, made per use so a singleton never pins one handler.</summary>
    public static GitLabClient Client(IHttpClientFactory factory) => new(factory.CreateClient(HttpClientName));
}
