namespace ReviewBot.Functions.Tasks.Backplane;

/// <summary>Settings under <c>ReviewBot:SignalR</c> for several self-hosted instances behind one load balancer.</summary>
public sealed class BackplaneOptions
{
    public const string Section = "ReviewBot:SignalR";

    /// <summary>StackExchange.Redis configuration string (<c>host:port,password=...</c>), env <c>ReviewBot__SignalR__Redis</c>.
    /// Set: the hub uses the Redis backplane and instances tell each other about queued tasks. Unset: one instance.</summary>
    public string? Redis { get; set; }

    /// <summary>How often each instance also reads the queued tasks from the task table, in case a Redis message was lost
    /// (pub/sub delivers at most once).</summary>
    public TimeSpan QueueScanInterval { get; set; } = TimeSpan.FromSeconds(30);
}
