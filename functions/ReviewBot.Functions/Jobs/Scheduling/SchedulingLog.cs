namespace ReviewBot.Functions.Jobs.Scheduling;

internal static partial class SchedulingLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Scheduler lease {LeaseId}: acquired, this instance leads")]
    public static partial void LeaseAcquired(ILogger logger, string leaseId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Scheduler lease {LeaseId}: lost ({Error}); this instance stops scheduling")]
    public static partial void LeaseLost(ILogger logger, string leaseId, string? error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Scheduler lease {LeaseId}: renewal failed ({Error}); not leading until a renewal succeeds")]
    public static partial void LeaseRenewFailed(ILogger logger, string leaseId, string error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Scheduler lease {LeaseId}: released")]
    public static partial void LeaseReleased(ILogger logger, string leaseId);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "Scheduler lease {LeaseId}: unexpected error")]
    public static partial void LeaseError(ILogger logger, string leaseId, Exception error);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Job {Job}: {Outcome} for {Firing} (task {TaskId})")]
    public static partial void Fired(ILogger logger, string job, string outcome, string firing, string taskId);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Job {Job}: {Missed} missed tick(s) up to {Latest:u}, misfire policy {Policy}")]
    public static partial void Misfired(ILogger logger, string job, int missed, DateTimeOffset latest, string policy);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Job {Job}: trigger not usable: {Problem}")]
    public static partial void BadTrigger(ILogger logger, string job, string problem);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Error, Message = "Job {Job}: scheduling failed; retried at the next tick")]
    public static partial void JobFailed(ILogger logger, string job, Exception error);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Error, Message = "Scheduler tick failed")]
    public static partial void TickFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Job {Job}: polling {Repository}@{Branch} failed: {Error}")]
    public static partial void PollFailed(ILogger logger, string job, string repository, string branch, string error);
}
