using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.CodeHosts.GitHub;

/// <summary>
/// The credential an agent gets for cloning: only for https clone URLs on the GitHub host the API setting names
/// (github.com for api.github.com; the Enterprise host itself otherwise), so a payload can never make ReviewBot hand
/// a token to another server. With a token configured, that token; with a GitHub App, the installation token of the
/// delivery's installation. Never logged. GitHub's <see cref="ISourceResolver"/>.
/// </summary>
public sealed partial class CloneCredentials(IOptions<GitHubOptions> options, IGitHubClientFactory github, ILogger<CloneCredentials> log) : ISourceResolver
{
    public string Host => CodeHostNames.GitHub;

    /// <summary>Null: git sends the token as GitHub's <c>x-access-token</c>.</summary>
    public string? TokenUser => null;

    ValueTask<string?> ISourceResolver.TokenForAsync(ReviewTask task, CancellationToken ct) => new(TokenForAsync(task.CloneUrl, task.InstallationId, ct));

    public async Task<string?> TokenForAsync(string cloneUrl, long? installationId, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.HasCredentials || !Uri.TryCreate(cloneUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps) return null;
        if (!string.Equals(url.Host, o.GitHost, StringComparison.OrdinalIgnoreCase)) return null;
        if (!github.IsApp) return o.Token;
        if (installationId is null) return null;
        try
        {
            return await github.TokenForInstallationAsync(installationId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without a token a public repository still clones; a private one fails on the agent with git's own message.
            LogTokenUnavailable(log, installationId.Value, e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "No clone token for installation {InstallationId}: {Reason}")]
    private static partial void LogTokenUnavailable(ILogger logger, long installationId, string reason);
}
