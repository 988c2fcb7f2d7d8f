using Octokit;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// Octokit clients with ReviewBot's GitHub credentials: the configured token, or, for a GitHub App, the token of the
/// installation a webhook delivery names (<c>installation.id</c>).
/// </summary>
public interface IGitHubClientFactory
{
    /// <summary>True when ReviewBot runs as a GitHub App (installation tokens; check runs allowed), false with a plain token.</summary>
    bool IsApp { get; }

    /// <summary>
    /// A client for one installation. With a token the id is ignored and may be null; as an App it is required
    /// (<see cref="ArgumentException"/> otherwise). Use <see cref="IGitHubClient.Connection"/> for endpoints whose
    /// models Octokit lacks (review comments with <c>line</c>/<c>side</c>).
    /// </summary>
    Task<IGitHubClient> ForInstallationAsync(long? installationId, CancellationToken cancellationToken = default);

    /// <summary>The raw connection of <see cref="ForInstallationAsync"/>'s client.</summary>
    Task<IConnection> ConnectionForInstallationAsync(long? installationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The token itself, for handing to an agent to clone over https (only for the configured GitHub host; see
    /// <see cref="CloneCredentials"/>). Never log it.
    /// </summary>
    Task<string> TokenForInstallationAsync(long? installationId, CancellationToken cancellationToken = default);
}
