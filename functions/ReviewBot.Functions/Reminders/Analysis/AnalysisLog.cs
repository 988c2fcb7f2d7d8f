namespace ReviewBot.Functions.Reminders.Analysis;

/// <summary>Log lines of reading code hosts and analysing who blocks what.</summary>
internal static partial class AnalysisLog
{
    [LoggerMessage(EventId = 1350, EventName = "MergeabilityUnknown", Level = LogLevel.Debug,
        Message = "{Repository}: mergeability of {Count} pull request(s) not computed yet; reading them again after a delay")]
    public static partial void MergeabilityUnknown(ILogger logger, string repository, int count);

    [LoggerMessage(EventId = 1351, EventName = "RepositoryReadFailed", Level = LogLevel.Warning,
        Message = "Reading open pull requests of {Host}:{Repository} failed")]
    public static partial void RepositoryReadFailed(ILogger logger, string host, string repository, Exception exception);

    [LoggerMessage(EventId = 1352, EventName = "NoCodeHostReader", Level = LogLevel.Warning,
        Message = "No code host reader for '{Host}' ({Repository}); registered: {Registered}")]
    public static partial void NoCodeHostReader(ILogger logger, string host, string repository, string registered);

    [LoggerMessage(EventId = 1353, EventName = "Analysed", Level = LogLevel.Information,
        Message = "Blocking analysis: {PullRequests} open pull request(s) in {Repositories} repository(ies), {Failed} not readable")]
    public static partial void Analysed(ILogger logger, int pullRequests, int repositories, int failed);
}
