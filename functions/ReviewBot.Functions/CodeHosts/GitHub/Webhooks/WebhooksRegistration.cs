using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

public static class WebhooksRegistration
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddGitHubOptions();
        builder.Services.AddOptions<WebhookSourceOptions>().BindConfiguration(WebhookSourceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WebhookSource>();
        builder.Services.AddHostedService<WebhookSourceStartupWarning>();
        builder.Services.AddSingleton<PullRequestIngest>();
        builder.Services.AddSingleton<CheckRerunIngest>();
        builder.Services.AddSingleton<JobEventIngest>();
        builder.Services.AddTrust();
        return builder;
    }

    /// <summary>The <c>ReviewBot:GitHub</c> settings, bound and validated once however many capabilities need them.</summary>
    public static IServiceCollection AddGitHubOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(GitHubOptionsMarker))) return services;
        services.AddSingleton<GitHubOptionsMarker>();
        services.AddOptions<GitHubWebhookOptions>().BindConfiguration(GitHubWebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    private sealed class GitHubOptionsMarker;

    public static WebApplication MapWebhooks(this WebApplication app)
    {
        app.MapGitHubWebhookEndpoints();
        return app;
    }
}
