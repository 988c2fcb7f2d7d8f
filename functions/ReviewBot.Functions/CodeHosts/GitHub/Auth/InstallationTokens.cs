using Octokit;

namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>
/// Installation access tokens of the GitHub App, one cache entry per installation.
/// <list type="bullet">
/// <item>A token is used until <see cref="RefreshBefore"/> ahead of its <c>expires_at</c> (GitHub issues them for an
/// hour), then replaced, so a token handed out always has at least that long to live.</item>
/// <item>Concurrent callers for one installation share one request: the entry holds the task, not the token.</item>
/// <item>A failed request is not cached; the next caller tries again.</item>
/// <item>A token GitHub answered 401 to (revoked, or the installation suspended) is dropped
/// (<see cref="Invalidate"/>), so the next caller gets a new one rather than the refused one until it expires.</item>
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

    /// <summary>Drops <paramref name="token"/> from the cache after GitHub answered 401 with it. A newer token
    /// already cached for the installation stays: the refusal was of the old one.</summary>
    public void Invalidate(long installationId, string token)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue(installationId, out var task) || !task.IsCompletedSuccessfully || task.Result.Value != token) return;
            _tokens.Remove(installationId);
        }
        GitHubAuthLog.InstallationTokenRefused(logger, installationId);
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
