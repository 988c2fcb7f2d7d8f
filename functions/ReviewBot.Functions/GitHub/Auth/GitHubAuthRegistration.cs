using Microsoft.Extensions.DependencyInjection.Extensions;
using ReviewBot.Functions.Webhooks;

namespace ReviewBot.Functions.GitHub.Auth;

public static class GitHubAuthRegistration
{
    /// <summary>
    /// GitHub credentials and clients: <see cref="IGitHubClientFactory"/>, <see cref="InstallationTokens"/>,
    /// <see cref="AppJwt"/>, and the named <see cref="GitHubConnections.HttpClientName"/> HTTP client. Reads the
    /// <see cref="GitHubWebhookOptions"/> that <c>AddWebhooks</c> binds and validates.
    /// </summary>
    public static WebApplicationBuilder AddGitHubAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GitHubWebhookOptions>().BindConfiguration(GitHubWebhookOptions.Section);
        services.AddHttpClient(GitHubConnections.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AppJwt>();
        services.AddSingleton<GitHubConnections>();
        services.AddSingleton<InstallationTokens>();
        services.AddSingleton<IGitHubClientFactory, GitHubClientFactory>();
        return builder;
    }
}
