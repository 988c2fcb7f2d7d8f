using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
namespace ReviewBot.Functions.Trust;

/// <summary>Log messages of the trust gate (event ids 1400–1409).</summary>
internal static partial class TrustLog
{
    [LoggerMessage(EventId = 1400, EventName = "PullRequestWaits", Level = LogLevel.Information,
        Message = "{Host} {Repository}#{Number} at {HeadSha} waits for approval: {Reason}")]
    public static partial void Waits(ILogger logger, string host, string repository, int number, string headSha, string reason);

    [LoggerMessage(EventId = 1401, EventName = "PullRequestApproved", Level = LogLevel.Information,
        Message = "{Host} {Repository}#{Number} approved by {By} ({How}); {Released} waiting task(s) queued")]
    public static partial void Approved(ILogger logger, string host, string repository, int number, string by, string how, int released);

    [LoggerMessage(EventId = 1402, EventName = "ApprovalIgnored", Level = LogLevel.Information,
        Message = "{Host} {Repository}#{Number}: approval by {By} ignored: {Reason}")]
    public static partial void ApprovalIgnored(ILogger logger, string host, string repository, int number, string by, string reason);

    [LoggerMessage(EventId = 1403, EventName = "AccessUnknown", Level = LogLevel.Warning,
        Message = "Access of user {UserId} to {Project} unknown; treated as untrusted: {Reason}")]
    public static partial void AccessUnknown(ILogger logger, long project, long userId, string reason);

    [LoggerMessage(EventId = 1404, EventName = "PermissionUnknown", Level = LogLevel.Warning,
        Message = "Permission of {User} on {Repository} unknown; the label does not approve: {Reason}")]
    public static partial void PermissionUnknown(ILogger logger, string repository, string user, string reason);
}
