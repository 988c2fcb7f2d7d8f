using Microsoft.Extensions.Logging;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Tasks;

internal sealed partial class TaskSupervisor
{
    private static partial class Log
    {
        [LoggerMessage(311, LogLevel.Information, "Task {TaskId}: accepted (attempt {Attempt}).", EventName = "TaskAccepted")]
        public static partial void Accepted(ILogger logger, string taskId, int attempt);

        [LoggerMessage(312, LogLevel.Information, "Task {TaskId}: refused: {Reason}.", EventName = "TaskRefused")]
        public static partial void Refused(ILogger logger, string taskId, string reason);

        [LoggerMessage(313, LogLevel.Warning, "Task {TaskId}: the server did not confirm the acceptance ({Reason}); not running it.", EventName = "AcceptRejected")]
        public static partial void AcceptRejected(ILogger logger, string taskId, string reason);

        [LoggerMessage(314, LogLevel.Warning, "Task {TaskId}: could not send the answer (accepted = {Accepted}): {Reason}.", EventName = "AnswerFailed")]
        public static partial void AnswerFailed(ILogger logger, string taskId, bool accepted, string reason);

        [LoggerMessage(315, LogLevel.Information, "Task {TaskId}: result delivered ({Outcome}).", EventName = "ResultDelivered")]
        public static partial void Delivered(ILogger logger, string taskId, TaskOutcome outcome);

        [LoggerMessage(316, LogLevel.Warning, "Task {TaskId}: lease refused: task was reassigned ({Reason}); result dropped.", EventName = "LeaseRefused")]
        public static partial void LeaseRefused(ILogger logger, string taskId, string reason);

        [LoggerMessage(317, LogLevel.Information, "Task {TaskId}: result not delivered (attempt {Attempt}: {Reason}); retrying when the connection is back.", EventName = "ResultDeliveryRetry")]
        public static partial void DeliveryRetry(ILogger logger, string taskId, int attempt, string reason);

        [LoggerMessage(318, LogLevel.Warning, "Task {TaskId}: result dropped: {Reason}.", EventName = "ResultDropped")]
        public static partial void ResultDropped(ILogger logger, string taskId, string reason);

        [LoggerMessage(319, LogLevel.Information, "Task {TaskId}: cancelling ({Reason}).", EventName = "TaskCancelling")]
        public static partial void Cancelling(ILogger logger, string taskId, string reason);

        [LoggerMessage(320, LogLevel.Debug, "Task {TaskId}: cancel ignored, the task is not here.", EventName = "CancelUnknownTask")]
        public static partial void CancelUnknown(ILogger logger, string taskId);

        [LoggerMessage(321, LogLevel.Warning, "Task {TaskId}: cancel ignored, it names another lease.", EventName = "CancelWrongLease")]
        public static partial void CancelWrongLease(ILogger logger, string taskId);

        [LoggerMessage(322, LogLevel.Warning, "Task {TaskId}: the server no longer assigns it to this agent ({Reason}); stopping it.", EventName = "TaskAbandoned")]
        public static partial void Abandoning(ILogger logger, string taskId, string reason);

        [LoggerMessage(323, LogLevel.Information, "Draining: no new tasks; waiting for {Running} running tasks.", EventName = "Draining")]
        public static partial void Draining(ILogger logger, int running);

        [LoggerMessage(324, LogLevel.Error, "Task {TaskId}: the supervisor failed.", EventName = "SlotFailed")]
        public static partial void SlotFailed(ILogger logger, Exception exception, string taskId);
    }
}
