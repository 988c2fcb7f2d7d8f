namespace ReviewBot.Functions.Configuration;

internal static partial class ConfigurationLog
{
    [LoggerMessage(EventId = 604, EventName = "ConfigPathNotSet", Level = LogLevel.Warning,
        Message = "No configuration file: {Setting} is not set, so no linters will run")]
    public static partial void ConfigPathNotSet(ILogger logger, string setting);

    [LoggerMessage(EventId = 602, EventName = "ConfigLoaded", Level = LogLevel.Information,
        Message = "Loaded configuration {Path}: {LinterCount} linters")]
    public static partial void ConfigLoaded(ILogger logger, string path, int linterCount);

    [LoggerMessage(EventId = 603, EventName = "ConfigInvalid", Level = LogLevel.Critical,
        Message = "Configuration {Path} is invalid, {ErrorCount} errors:\n{Errors}")]
    public static partial void ConfigInvalid(ILogger logger, string path, int errorCount, string errors);
}
