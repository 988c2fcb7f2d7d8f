using Microsoft.Extensions.Logging;

namespace ReviewBot.Agent.Connection;

internal sealed partial class AgentConnection
{
    private static partial class Log
    {
        [LoggerMessage(201, LogLevel.Information, "Connecting to {HubUrl}.", EventName = "Connecting")]
        public static partial void Connecting(ILogger logger, Uri hubUrl);

        [LoggerMessage(202, LogLevel.Information, "Connected to {HubUrl} (connection {ConnectionId}).", EventName = "Connected")]
        public static partial void Connected(ILogger logger, Uri hubUrl, string? connectionId);

        [LoggerMessage(203, LogLevel.Warning, "Could not connect to {HubUrl}: {Reason}; retrying in {Seconds:0.0} s.", EventName = "ConnectFailed")]
        public static partial void ConnectFailed(ILogger logger, Uri hubUrl, string reason, double seconds);

        [LoggerMessage(204, LogLevel.Warning, "Connection lost ({Reason}); reconnecting.", EventName = "Reconnecting")]
        public static partial void Reconnecting(ILogger logger, string reason);

        [LoggerMessage(205, LogLevel.Information, "Reconnected (connection {ConnectionId}).", EventName = "Reconnected")]
        public static partial void Reconnected(ILogger logger, string? connectionId);

        [LoggerMessage(206, LogLevel.Warning, "Connection closed: {Reason}.", EventName = "ConnectionClosedWithError")]
        public static partial void Closed(ILogger logger, string reason);

        [LoggerMessage(207, LogLevel.Information, "Connection closed by the server; connecting again.", EventName = "ConnectionClosed")]
        public static partial void ConnectionClosed(ILogger logger);

        [LoggerMessage(208, LogLevel.Information, "Registered as node {NodeId} ({Name}) with {RunningTasks} running tasks; heartbeat every {Seconds:0.#} s.", EventName = "Registered")]
        public static partial void Registered(ILogger logger, string nodeId, string name, int runningTasks, double seconds);

        [LoggerMessage(209, LogLevel.Error, "The server refused the registration: {Reason}.", EventName = "RegistrationRefused")]
        public static partial void RegistrationRefused(ILogger logger, string reason);

        [LoggerMessage(210, LogLevel.Warning, "Registration failed ({Reason}); retrying in {Seconds:0.0} s.", EventName = "RegistrationFailed")]
        public static partial void RegistrationFailed(ILogger logger, string reason, double seconds);

        [LoggerMessage(211, LogLevel.Warning, "Heartbeat failed: {Reason}.", EventName = "HeartbeatFailed")]
        public static partial void HeartbeatFailed(ILogger logger, string reason);
    }
}
