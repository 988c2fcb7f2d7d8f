using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Placement;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// What this instance knows of one node. Mutable; every member is read and written under the lock of the
/// instance (<see cref="Gate"/>), which <see cref="AgentRegistry"/> takes.
/// </summary>
public sealed class AgentPresence(string nodeId)
{
    internal object Gate { get; } = new();
    public string NodeId { get; } = nodeId;
    public AgentRegistration? Registration { get; set; }
    public string Name { get; set; } = nodeId;
    public IReadOnlyList<string> Labels { get; set; } = [];
    public int Capacity { get; set; } = 1;
    public bool Exclusive { get; set; }
    public string? ConnectionId { get; set; }

    /// <summary>The credential the node registered with: <see cref="AgentBinding.Agent"/> (its own) or
    /// <c>shared:&lt;i&gt;</c> (shared token i). A shared token other than this one cannot register the node id.</summary>
    public string? Binding { get; set; }

    /// <summary>An admin revoked the node: it cannot register until an admin deletes its revoked credential.</summary>
    public bool Revoked { get; set; }
    public AgentState State { get; set; } = AgentState.Offline;
    /// <summary>The agent itself drains (SIGTERM); it reports this with every heartbeat.</summary>
    public bool Draining { get; set; }

    /// <summary>Drained by a person through the API; kept across heartbeats and reconnects until resumed.</summary>
    public bool DrainRequested { get; set; }
    public DateTimeOffset? PausedUntil { get; set; }

    /// <summary>Its version is older than <see cref="AgentsOptions.MinimumAgentVersion"/> (set at registration).</summary>
    public string? OutdatedWarning { get; set; }

    /// <summary>An ephemeral agent (<c>--once</c>): it takes exactly one task.</summary>
    public bool Once { get; set; }

    /// <summary>A once-agent accepted its task: no other task is assigned to it, until a fresh registration (a new
    /// process: nothing running, not draining) starts it over.</summary>
    public bool OnceSpent { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastPing { get; set; }
    public DateTimeOffset? DisconnectedAt { get; set; }
    public DateTimeOffset? LastAssignedAt { get; set; }
    public DateTimeOffset? SuspectUntil { get; set; }

    /// <summary>Ids of tasks this node holds (assigned or running), with their lease tokens.</summary>
    public Dictionary<string, string> Tasks { get; } = new(StringComparer.Ordinal);

    /// <summary>When each held task was given to this node.</summary>
    public Dictionary<string, DateTimeOffset> HeldSince { get; } = new(StringComparer.Ordinal);

    /// <summary>Consecutive heartbeats that did not list a held task.</summary>
    public Dictionary<string, int> MissedIn { get; } = new(StringComparer.Ordinal);

    /// <summary>Repositories it ran, most recent last (at most 20).</summary>
    public List<string> RecentRepositories { get; } = [];

    /// <summary>The same as a set for routing, rebuilt only when it changes (routing reads it for every placement).</summary>
    public IReadOnlySet<string> RecentSet { get; set; } = new HashSet<string>();
}
