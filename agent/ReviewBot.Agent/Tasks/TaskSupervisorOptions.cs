namespace ReviewBot.Agent.Tasks;

internal sealed record TaskSupervisorOptions
{
    /// <summary>Tasks run at once.</summary>
    public int Capacity { get; init; } = 1;

    /// <summary>Used when an assignment carries no accept timeout.</summary>
    public TimeSpan DefaultAcceptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A result not delivered within this time (server unreachable) is dropped.</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>After a second shutdown signal, how long undelivered results may still wait for the connection.</summary>
    public TimeSpan HardStopDeliveryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts to deliver one result (each after the connection is up again).</summary>
    public int DeliveryAttempts { get; init; } = 10;

    /// <summary>Limit of one server call.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
