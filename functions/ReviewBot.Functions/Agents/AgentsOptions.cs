using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Agents;

/// <summary>Settings under <c>ReviewBot:Agents</c>.</summary>
public sealed class AgentsOptions : IValidatableObject
{
    public const string Section = "ReviewBot:Agents";

    /// <summary>Bootstrap tokens (<c>ReviewBot__Agents__Tokens__0</c>, <c>__1</c>…): an agent exchanges one for its own
    /// credential (<c>reviewbot-agent register</c>). While <see cref="AllowSharedTokens"/> is on, agents may also connect
    /// with one directly (deprecated). None = no agent can register.</summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>Agents may connect with a shared token instead of their own credential (deprecated: logged as a warning
    /// and flagged on the agents page). Off = only per-agent credentials reach the hub; the tokens still register agents.</summary>
    public bool AllowSharedTokens { get; set; } = true;

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

    /// <summary>Agents older than this version (e.g. <c>0.2.0</c>) are flagged on the agents page and in
    /// <c>GET /api/agents</c> (<c>outdated</c>); they still connect. None = no minimum.</summary>
    public string? MinimumAgentVersion { get; set; }

    public TimeSpan OfflineAfter => HeartbeatInterval * MissedHeartbeats;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeartbeatInterval <= TimeSpan.Zero) yield return new("HeartbeatInterval must be positive.", [nameof(HeartbeatInterval)]);
        if (DisconnectGrace < TimeSpan.Zero) yield return new("DisconnectGrace must not be negative.", [nameof(DisconnectGrace)]);
        if (LastPingFlushInterval <= TimeSpan.Zero) yield return new("LastPingFlushInterval must be positive.", [nameof(LastPingFlushInterval)]);
        if (!string.IsNullOrWhiteSpace(MinimumAgentVersion) && AgentVersions.Parse(MinimumAgentVersion) is null)
            yield return new($"MinimumAgentVersion must be a version such as 0.2.0, got '{MinimumAgentVersion}'.", [nameof(MinimumAgentVersion)]);
        if (Tokens.Any(string.IsNullOrWhiteSpace)) yield return new("Tokens must not contain empty values.", [nameof(Tokens)]);
    }
}
