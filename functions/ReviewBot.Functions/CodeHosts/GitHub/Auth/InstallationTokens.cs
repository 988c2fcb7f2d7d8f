using Octokit;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// Installation access tokens of the GitHub App, one cache entry per installation.
/// <list type="bullet">
/// <item>A token is used until <see cref="RefreshBefore"/> ahead of its <c>expires_at</c> (GitHub issues them for an
/// hour), then replaced, so a token handed out always has at least that long to live.</item>
/// <item>Concurrent callers for one installation share one request: the entry holds the task, not the token.</item>
/// <item>A failed request is not cached; the next caller tries again.</item>
/// <item>Tokens are opaque strings and are never logged.</item>
/// </list>
/// Thread-safe: the dictionary is only read and swapped under <c>_gate</c>; no HTTP call runs under it.
/// </summary>
public sealed class InstallationTokens(AppJwt jwt, GitHubConnections connections, TimeProvider time, ILogger<InstallationTokens> logger)
{
    /// <summary>How long before <c>expires_at</c> a cached token is replaced.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly Dictionary<long, Task<InstallationToken>> _tokens = [];
    private readonly Lock _gate = new();

    /// <summary>A token for the installation with at least <see cref="RefreshBefore"/> left, from the cache or from GitHub.</summary>
    public Task<InstallationToken> GetAsync(long installationId, CancellationToken cancellationToken = default)
    {
        Task<InstallationToken>? task;
        lock (_gate)
        {
            if (!_tokens.TryGetValue(installationId, out task) || IsStale(task))
                _tokens[installationId] = task = Task.Run(() => FetchAsync(installationId), CancellationToken.None);
        }
        // The shared request is not cancelled with one caller; that caller just stops waiting for it.
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Drops the cached token, e.g. after GitHub answered 401 with it (the installation was suspended or the token revoked).</summary>
    public void Invalidate(long installationId)
    {
        lock (_gate) _tokens.Remove(installationId);
    }

    private bool IsStale(Task<InstallationToken> task) =>
        task.IsCompleted && (!task.IsCompletedSuccessfully || task.Result.ExpiresAt - RefreshBefore <= time.GetUtcNow());

    private async Task<InstallationToken> FetchAsync(long installationId)
    {
        var app = new GitHubClient(connections.Create(new Credentials(jwt.Create(), AuthenticationType.Bearer)));
        try
        {
            var token = await app.GitHubApps.CreateInstallationToken(installationId);
            GitHubAuthLog.InstallationTokenIssued(logger, installationId, token.ExpiresAt);
            return new InstallationToken(token.Token, token.ExpiresAt);
        }
        catch (ApiException e)
        {
            GitHubAuthLog.InstallationTokenFailed(logger, installationId, (int)e.StatusCode, e);
            throw;
        }
    }
}
