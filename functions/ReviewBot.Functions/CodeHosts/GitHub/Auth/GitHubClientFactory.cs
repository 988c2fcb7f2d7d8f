using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// <see cref="IGitHubClientFactory"/> over <see cref="GitHubConnections"/>. App mode (AppId + PrivateKeyPath or PrivateKey) wins
/// over <see cref="GitHubWebhookOptions.Token"/>; the options validation already refuses half an App configuration.
/// </summary>
public sealed class GitHubClientFactory(IOptions<GitHubWebhookOptions> options, GitHubConnections connections, InstallationTokens installations) : IGitHubClientFactory
{
    public bool IsApp => options.Value.IsApp;

    public async Task<IGitHubClient> ForInstallationAsync(long? installationId, CancellationToken cancellationToken = default) =>
        new GitHubClient(await ConnectionForInstallationAsync(installationId, cancellationToken));

    /// <summary>In App mode, a 401 to any request of the connection drops its installation token from the cache.</summary>
    public async Task<IConnection> ConnectionForInstallationAsync(long? installationId, CancellationToken cancellationToken = default)
    {
        var token = await TokenForInstallationAsync(installationId, cancellationToken);
        return IsApp && installationId is { } id
            ? connections.Create(new Credentials(token), unauthorized: () => installations.Invalidate(id, token))
            : connections.Create(new Credentials(token));
    }

    public async Task<string> TokenForInstallationAsync(long? installationId, CancellationToken cancellationToken = default)
    {
        if (!IsApp)
        {
            return !string.IsNullOrEmpty(options.Value.Token)
                ? options.Value.Token
                : throw new InvalidOperationException("No GitHub credentials: set ReviewBot:GitHub:Token, or AppId and PrivateKeyPath.");
        }
        if (installationId is not { } id)
            throw new ArgumentException("ReviewBot runs as a GitHub App, so an installation id is needed (the delivery's installation.id); this one had none.", nameof(installationId));
        return (await installations.GetAsync(id, cancellationToken)).Value;
    }
}
