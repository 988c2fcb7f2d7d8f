using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Agents;

/// <summary>Settings under <c>ReviewBot:Agents</c>.</summary>
public sealed class AgentsOptions : IValidatableObject
{
    public const string Section = "ReviewBot:Agents";

    /// <summary>Tokens agents may connect with (<c>ReviewBot__Agents__Tokens__0</c>, <c>__1</c>…). None = no agent can connect.</summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>How often agents send a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Heartbeats missed before a node is offline.</summary>
    [Range(1, 100)]
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>How long a disconnected node may take to reconnect before it is offline and its tasks requeued.</summary>
    public TimeSpan DisconnectGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often last-ping times are written to Table Storage (batched).</summary>
    public TimeSpan LastPingFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After a restart, a node list fetched from storage replaces a larger cached one only after this long (agents are still reconnecting).</summary>
    public TimeSpan CacheWarmup { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan OfflineAfter => HeartbeatInterval * MissedHeartbeats;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeartbeatInterval <= TimeSpan.Zero) yield return new("HeartbeatInterval must be positive.", [nameof(HeartbeatInterval)]);
        if (DisconnectGrace < TimeSpan.Zero) yield return new("DisconnectGrace must not be negative.", [nameof(DisconnectGrace)]);
        if (LastPingFlushInterval <= TimeSpan.Zero) yield return new("LastPingFlushInterval must be positive.", [nameof(LastPingFlushInterval)]);
        if (Tokens.Any(string.IsNullOrWhiteSpace)) yield return new("Tokens must not contain empty values.", [nameof(Tokens)]);
    }
}
