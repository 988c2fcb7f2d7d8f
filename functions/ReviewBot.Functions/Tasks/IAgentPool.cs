using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Placement;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// What placing and taking back tasks needs of the agents this instance knows (implemented by the agent registry,
/// Agents/AgentRegistry.cs). A node holds a task under a lease from <see cref="TryReserve"/> (or <see cref="Hold"/>,
/// for one recovered from storage) until <see cref="Release"/>; capacity is checked under the node's lock, so two
/// placements never overfill a node. Every member is thread-safe.
/// </summary>
public interface IAgentPool
{
    /// <summary>Raised after anything that may let a queued task be placed: a node registered, freed capacity, changed
    /// labels or state.</summary>
    event Action? PlacementMayHaveChanged;

    /// <summary>Raised with the registration of a connected node after it (re)registered or changed (drain, pause).</summary>
    event Action<AgentRegistration>? ConnectedNodeChanged;

    /// <summary>Candidates for routing, as of now; suspect nodes are left out until their suspicion expires.</summary>
    IReadOnlyList<AgentCandidate> Candidates();

    /// <summary>Reserves a slot for the task if the node is still online with free capacity.</summary>
    bool TryReserve(string nodeId, string taskId, string lease, string repository);

    /// <summary>Frees the slot of a task (finished, refused, reassigned). No-op unless the node holds it under
    /// <paramref name="lease"/> (any lease when null).</summary>
    void Release(string nodeId, string taskId, string? lease);

    /// <summary>Marks a task as held by a node, recovered from storage (after a restart, or a reconnect).</summary>
    void Hold(string nodeId, string taskId, string lease);

    /// <summary>The tasks the node holds here, with their leases; null for a node this instance does not know.</summary>
    IReadOnlyList<KeyValuePair<string, string>>? Held(string nodeId);

    /// <summary>The lease under which the node holds the task here, if it does.</summary>
    string? HeldLease(string nodeId, string taskId);

    /// <summary>Leaves the node out of every placement for a while (a failed send, no answer).</summary>
    void MarkSuspect(string nodeId, TimeSpan forHowLong);

    /// <summary>The node's connection on this instance; null when it is not connected here.</summary>
    string? ConnectionOf(string nodeId);

    /// <summary>The node's name for messages (its id when unknown).</summary>
    string NameOf(string nodeId);
}
