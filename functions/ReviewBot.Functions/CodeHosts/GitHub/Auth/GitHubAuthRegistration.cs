using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

public static class GitHubAuthRegistration
{
    /// <summary>
    /// GitHub credentials and clients: the <see cref="GitHubOptions"/> (bound and validated here, once: every GitHub
    /// part reads them), <see cref="IGitHubClientFactory"/>, <see cref="InstallationTokens"/>, <see cref="AppJwt"/>, and
    /// the named <see cref="GitHubConnections.HttpClientName"/> HTTP client with its rate-limit retries and write pacing
    /// (<see cref="GitHubHttpOptions"/>). Part of <c>AddGitHub</c>; tests and the bench use it alone.
    /// </summary>
    public static WebApplicationBuilder AddGitHubAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.Section).ValidateDataAnnotations().ValidateOnStart();
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
