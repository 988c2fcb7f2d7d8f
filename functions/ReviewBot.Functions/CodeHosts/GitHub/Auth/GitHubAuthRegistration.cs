using Microsoft.Extensions.DependencyInjection.Extensions;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

public static class GitHubAuthRegistration
{
    /// <summary>
    /// GitHub credentials and clients: <see cref="IGitHubClientFactory"/>, <see cref="InstallationTokens"/>,
    /// <see cref="AppJwt"/>, and the named <see cref="GitHubConnections.HttpClientName"/> HTTP client with its
    /// rate-limit retries and write pacing (<see cref="GitHubHttpOptions"/>). Reads the
    /// <see cref="GitHubWebhookOptions"/> that <c>AddWebhooks</c> binds and validates.
    /// </summary>
    public static WebApplicationBuilder AddGitHubAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddGitHubOptions();
        services.AddOptions<GitHubHttpOptions>().BindConfiguration(GitHubHttpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WriteSlots>();
        services.AddTransient<WriteSpacingHandler>();
        services.AddHttpClient(GitHubConnections.HttpClientName).AddGitHubHttpPipeline();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AppJwt>();
        services.AddSingleton<GitHubConnections>();
        services.AddSingleton<InstallationTokens>();
        services.AddSingleton<IGitHubClientFactory, GitHubClientFactory>();
        return builder;
    }
}
