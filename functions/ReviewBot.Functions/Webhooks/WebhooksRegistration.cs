namespace ReviewBot.Functions.Webhooks;

public static class WebhooksRegistration
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GitHubWebhookOptions>().BindConfiguration(GitHubWebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PullRequestIngest>();
        // Kestrel's own limit sits above ours so that we answer 413 with a problem document, not a reset connection.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 101L * 1024 * 1024);
        return builder;
    }

    public static WebApplication MapWebhooks(this WebApplication app)
    {
        app.MapGitHubWebhookEndpoints();
        return app;
    }
}
