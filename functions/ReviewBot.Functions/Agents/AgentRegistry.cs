using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Placement;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// The in-memory node cache of this instance: presence, capacity and the tasks each node holds.
/// Invariant: a task id is in at most one node's <see cref="AgentPresence.Tasks"/>, and only while the task is
/// assigned to or running on that node under that lease. Capacity checks and reservations happen under the
/// node's lock, so two placements can never overfill a node. It is the pool Tasks places on (<see cref="IAgentPool"/>).
/// </summary>
public sealed partial class AgentRegistry(IOptions<AgentsOptions> options, TimeProvider time) : IAgentPool
{
    private readonly ConcurrentDictionary<string, AgentPresence> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _byConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unsavedPings = new(StringComparer.Ordinal);
    private readonly AgentsOptions _options = options.Value;

    /// <summary>Last pings received since the previous call, to be written in one batch.</summary>
    public IReadOnlyList<(string NodeId, DateTimeOffset LastPing)> TakeUnsavedPings()
    {
        var list = new List<(string, DateTimeOffset)>(_unsavedPings.Count);
        foreach (var id in _unsavedPings.Keys)
            if (_unsavedPings.TryRemove(id, out var at)) list.Add((id, at));
        return list;
    }

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>Raised after anything that may let a queued task be placed: a node registered, freed capacity, changed labels or state.</summary>
    public event Action? PlacementMayHaveChanged;

    /// <summary>Raised after a node registered, disconnected or was declared offline.</summary>
    public event Action<AgentPresence>? NodeChanged;

    public AgentPresence? Get(string nodeId) => _nodes.GetValueOrDefault(nodeId);

    public IReadOnlyCollection<AgentPresence> All => [.. _nodes.Values];

    /// <summary>Registrations are rare: one lock for all of them keeps "is this node id or connection taken" and
    /// "take it" one step, so two registrations can never both win a node id or a connection.</summary>
    private readonly Lock _registerGate = new();

    /// <summary>Records a (re)registration that <see cref="Contracts.Agents.RegistrationRules.Problem"/> found valid.
    /// Returns the tasks this node reports that it may not keep (unknown here, or held under another lease) and those
    /// it no longer reports (lost on the agent). Refused, with nothing changed, when the connection already speaks for
    /// another node (one connection is one node), when the node id was revoked, or when <paramref name="binding"/> is a
    /// shared token and the node id is bound to another credential (<see cref="AgentPresence.Binding"/>).</summary>
    /// <param name="binding">"agent" for the node's own credential (checked by the caller), <c>shared:&lt;i&gt;</c> for a shared token.</param>
    public RegisteredNode? TryRegister(AgentRegistration r, string connectionId, string binding, out string? problem)
    {
        // Everything that can throw or refuse happens before anything changes: a refused registration leaves nothing behind.
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in r.RunningTasks ?? throw new ArgumentException("runningTasks is missing", nameof(r)))
            if (!reported.TryAdd(t.TaskId, t.LeaseToken)) throw new ArgumentException($"task {t.TaskId} is listed twice", nameof(r));
        var now = time.GetUtcNow();
        AgentPresence node;
        List<string> keep = [], lost = [];
        string? oldConnection;
        lock (_registerGate)
        {
            if (_byConnection.TryGetValue(connectionId, out var speaksFor) && speaksFor != r.NodeId)
            {
                problem = $"nodeId: this connection already speaks for node {speaksFor}; one connection is one node";
                return null;
            }
            if (Get(r.NodeId) is { } known)
            {
                lock (known.Gate)
                {
                    if (known.Revoked)
                    {
                        problem = $"nodeId: node {r.NodeId} was revoked by an admin";
                        return null;
                    }
                    if (binding != AgentBinding.Agent && known.Binding is { } bound && bound != binding)
                    {
                        problem = $"nodeId: node {r.NodeId} belongs to another agent's credential; choose another work dir (node id) or use that agent's credential";
                        return null;
                    }
                }
            }
            node = _nodes.GetOrAdd(r.NodeId, id => new AgentPresence(id));
            lock (node.Gate)
            {
                oldConnection = node.ConnectionId;
                node.Registration = r;
                node.Binding = binding;
                node.Name = r.Name;
                node.Labels = r.Labels;
                node.Once = r.Once;
                node.OutdatedWarning = AgentVersions.IsOlder(r.Version, _options.MinimumAgentVersion) ? AgentVersions.Warning(r.Version, _options.MinimumAgentVersion!) : null;
                // A once-agent stays spent through reconnects (it still reports its task, or drains to exit); a fresh
                // process of it (same work dir, nothing running, not draining) may take one task again.
                node.OnceSpent = r.Once && node.OnceSpent && (r.Draining || reported.Count > 0);
                node.Capacity = r.Once ? 1 : Math.Max(1, r.Capacity);
                node.Exclusive = r.Exclusive;
                node.ConnectionId = connectionId;
                node.Draining = r.Draining;
                node.State = StateOf(node, now);
                node.RegisteredAt = now;
                node.LastPing = now;
                node.DisconnectedAt = null;
                node.SuspectUntil = null;
                foreach (var (taskId, lease) in node.Tasks)
                {
                    if (reported.TryGetValue(taskId, out var l) && l == lease) keep.Add(taskId);
                    else lost.Add(taskId);
                }
            }
            if (oldConnection is not null && oldConnection != connectionId) _byConnection.TryRemove(oldConnection, out _);
            _byConnection[connectionId] = r.NodeId;
        }
        OnNodeChanged(node);
        PlacementMayHaveChanged?.Invoke();
        problem = null;
        return new RegisteredNode(node, keep, lost);
    }

    /// <summary><see cref="TryRegister"/> for callers that know the registration is allowed (benchmarks, tests).</summary>
    public RegisteredNode Register(AgentRegistration r, string connectionId, string binding = AgentBinding.Agent) =>
        TryRegister(r, connectionId, binding, out var problem) ?? throw new InvalidOperationException(problem);

    private long _heartbeats;

    /// <summary>Heartbeats received since start (metrics, benchmark).</summary>
    public long HeartbeatsReceived => Interlocked.Read(ref _heartbeats);

    /// <summary>Heartbeat; false when the node is unknown here (it must register again).
    /// <paramref name="dropped"/> gets the tasks this node holds here but has not listed as running in two
    /// heartbeats in a row, once they were held for two heartbeat intervals (it lost them, e.g. its acceptance
    /// never reached it): they are no longer the node's, and the caller requeues them.</summary>
    public bool Heartbeat(AgentHeartbeat h, string connectionId, out IReadOnlyList<KeyValuePair<string, string>> dropped)
    {
        Interlocked.Increment(ref _heartbeats);
        dropped = [];
        var node = Get(h.NodeId);
        if (node is null) return false;
        var changed = false;
        lock (node.Gate)
        {
            if (node.ConnectionId != connectionId) return false;
            node.LastPing = time.GetUtcNow();
            var gone = new List<KeyValuePair<string, string>>();
            foreach (var held in node.Tasks)
            {
                if (h.RunningTaskIds.Contains(held.Key) || node.LastPing - node.HeldSince.GetValueOrDefault(held.Key, node.LastPing) < 2 * _options.HeartbeatInterval)
                {
                    node.MissedIn.Remove(held.Key);
                    continue;
                }
                var missed = node.MissedIn[held.Key] = node.MissedIn.GetValueOrDefault(held.Key) + 1;
                if (missed >= 2) gone.Add(held);
            }
            foreach (var (taskId, _) in gone) Forget(node, taskId);
            dropped = gone;
            if (node.Draining != h.Draining)
            {
                node.Draining = h.Draining;
                changed = true;
            }
            node.State = StateOf(node, node.LastPing);
            _unsavedPings[h.NodeId] = node.LastPing;
        }
        if (changed)
        {
            OnNodeChanged(node);
            PlacementMayHaveChanged?.Invoke();
        }
        return true;
    }

    public void Disconnected(string connectionId)
    {
        if (!_byConnection.TryRemove(connectionId, out var id) || Get(id) is not { } node) return;
        lock (node.Gate)
        {
            if (node.ConnectionId != connectionId) return;
            node.ConnectionId = null;
            node.DisconnectedAt = time.GetUtcNow();
            node.State = AgentState.Offline;
        }
        OnNodeChanged(node);
    }

    /// <summary>Known to storage but not connected here (after a restart): offline, holding its tasks until the grace ends.</summary>
    /// <param name="binding">The credential the node last registered with (<see cref="AgentPresence.Binding"/>), if stored.</param>
    public void AddRemembered(string nodeId, string name, IReadOnlyList<string> labels, int capacity, bool exclusive, string? binding = null)
    {
        var node = _nodes.GetOrAdd(nodeId, id => new AgentPresence(id));
        lock (node.Gate)
        {
            if (node.ConnectionId is not null) return;
            if (binding == "revoked") node.Revoked = true;
            else node.Binding ??= binding;
            node.Name = name;
            node.Labels = labels;
            node.Capacity = Math.Max(1, capacity);
            node.Exclusive = exclusive;
            node.State = AgentState.Offline;
            node.DisconnectedAt ??= time.GetUtcNow();
        }
    }

    private static AgentState StateOf(AgentPresence n, DateTimeOffset now) =>
        n.ConnectionId is null ? AgentState.Offline
        : n.Draining || n.DrainRequested || n.OnceSpent ? AgentState.Draining
        : n.PausedUntil > now ? AgentState.Paused
        : AgentState.Online;
}
