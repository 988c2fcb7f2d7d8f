using Microsoft.Extensions.Logging;

namespace ReviewBot.Agent.Hosting;

internal static class AgentLogging
{
    /// <summary>
    /// One line per event with a timestamp. SignalR's own logs are limited to warnings: at debug
    /// level they print transport URLs, which carry the access token for WebSockets.
    /// </summary>
    public static ILoggerFactory Create(LogLevel level = LogLevel.Information) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("System", LogLevel.Warning)
            // Failed connects are logged once by AgentConnection, without the client's stack trace.
            .AddFilter("Microsoft.AspNetCore.Http.Connections.Client", LogLevel.Critical)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
                options.UseUtcTimestamp = false;
            }));
}
