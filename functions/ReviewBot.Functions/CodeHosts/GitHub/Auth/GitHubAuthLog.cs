namespace ReviewBot.Functions.CodeHosts.GitHub.Auth;

/// <summary>Log lines of GitHub authentication. None carries a token or a JWT.</summary>
internal static partial class GitHubAuthLog
{
    [LoggerMessage(EventId = 1000, EventName = "InstallationTokenIssued", Level = LogLevel.Information,
        Message = "Installation token for installation {InstallationId} issued, expires at {ExpiresAt:O}")]
    public static partial void InstallationTokenIssued(ILogger logger, long installationId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1001, EventName = "InstallationTokenFailed", Level = LogLevel.Warning,
        Message = "Installation token for installation {InstallationId} could not be issued (HTTP {Status})")]
    public static partial void InstallationTokenFailed(ILogger logger, long installationId, int status, Exception exception);

    [LoggerMessage(EventId = 1002, EventName = "InstallationTokenRefused", Level = LogLevel.Warning,
        Message = "GitHub refused the installation token of installation {InstallationId} (HTTP 401); the next call gets a new one")]
    public static partial void InstallationTokenRefused(ILogger logger, long installationId);
}
