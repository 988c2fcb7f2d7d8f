using Microsoft.Extensions.Options;
using ReviewBot.Core.Placement;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// The node list as users see it: the nodes connected here (live) plus the nodes storage knows.
/// Storage is best effort: when it is unreachable the cached list stays valid, and after a restart a fetched
/// list replaces a larger cached one only once the instance has been up <see cref="AgentsOptions.CacheWarmup"/>.
/// </summary>
public sealed partial class AgentDirectory(NodeStore store, AgentRegistry registry, IOptions<AgentsOptions> options, TimeProvider time, ILogger<AgentDirectory> log)
{
    private IReadOnlyList<NodeRecord> _cached = [];
    private readonly Lock _gate = new();

    public async Task SaveAsync(AgentPresence node, CancellationToken ct)
    {
        try { await store.UpsertAsync(Record(node), ct); }
        catch (Exception e) when (e is not OperationCanceledException) { LogStorageDown(log, e); }
    }

    /// <summary>Loads stored nodes at start so that tasks they held wait for them to reconnect.</summary>
    public async Task RememberAsync(CancellationToken ct)
    {
        foreach (var n in await FetchAsync(ct))
            registry.AddRemembered(n.NodeId, n.Name, n.Labels, n.Capacity, n.Exclusive, n.Credential);
    }

    /// <summary>Drops a deregistered node from the cached list, so that a fetch the cache warm-up keeps from replacing a
    /// larger cached list (see the class comment) does not show it again.</summary>
    public void Forget(string nodeId)
    {
        lock (_gate) _cached = [.. _cached.Where(n => n.NodeId != nodeId)];
    }

    public async Task<IReadOnlyList<AgentView>> ListAsync(CancellationToken ct)
    {
        var stored = await FetchAsync(ct);
        var live = registry.All.ToDictionary(n => n.NodeId);
        var views = new List<AgentView>();
        foreach (var n in live.Values) views.Add(View(n));
        foreach (var n in stored.Where(s => !live.ContainsKey(s.NodeId)))
        {
            var outdated = AgentVersions.IsOlder(n.Version, options.Value.MinimumAgentVersion) ? AgentVersions.Warning(n.Version, options.Value.MinimumAgentVersion!) : null;
            views.Add(new AgentView(n.NodeId, n.Name, n.Labels, AgentState.Offline.ToString().ToLowerInvariant(), n.Capacity, 0, n.Exclusive, n.Version, n.Os, n.Arch, n.LastPing, n.RegisteredAt, [])
            {
                Credential = CredentialOf(n.Credential), Warning = WarningFor(CredentialOf(n.Credential)),
                Outdated = outdated is not null, VersionWarning = outdated,
            });
        }
        return [.. views.OrderBy(v => v.State == "offline").ThenBy(v => v.Name, StringComparer.OrdinalIgnoreCase)];
    }

    private async Task<IReadOnlyList<NodeRecord>> FetchAsync(CancellationToken ct)
    {
        try
        {
            var fetched = await store.ListAsync(ct);
            lock (_gate)
            {
                var warm = time.GetUtcNow() - registry.StartedAt >= options.Value.CacheWarmup;
                if (warm || fetched.Count >= _cached.Count) _cached = fetched;
                return _cached;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStorageDown(log, e);
            lock (_gate) return _cached;
        }
    }

    public static AgentView View(AgentPresence n)
    {
        lock (n.Gate)
        {
            var r = n.Registration;
            var credential = CredentialOf(n.Revoked ? Revoked : n.Binding);
            return new AgentView(n.NodeId, n.Name, n.Labels, n.State.ToString().ToLowerInvariant(), n.Capacity, n.Tasks.Count, n.Exclusive,
                r?.Version, r?.Os, r?.Arch, n.LastPing, n.RegisteredAt, [.. n.Tasks.Keys.Order()], n.PausedUntil)
            {
                Credential = credential, Warning = WarningFor(credential),
                Outdated = n.OutdatedWarning is not null, VersionWarning = n.OutdatedWarning, Once = n.Once,
            };
        }
    }

    private const string Revoked = "revoked";

    /// <summary>"agent" (its own credential), "shared" (a shared token, deprecated), "revoked", or null (not known yet).</summary>
    private static string? CredentialOf(string? binding) =>
        binding is null ? null : binding.StartsWith("shared:", StringComparison.Ordinal) ? "shared" : binding;

    private static string? WarningFor(string? credential) => credential switch
    {
        "shared" => "Connected with a shared token, which is deprecated: register this agent once with 'reviewbot-agent register' so it has its own credential.",
        Revoked => "Revoked by an admin: it cannot connect until an admin deletes its revoked credential and it registers again.",
        _ => null,
    };

    private static NodeRecord Record(AgentPresence n)
    {
        lock (n.Gate)
        {
            var r = n.Registration;
            return new NodeRecord(n.NodeId, n.Name, n.Labels, n.Capacity, n.Exclusive, r?.Version ?? "", r?.Os ?? "", r?.Arch ?? "",
                n.State.ToString(), Environment.MachineName, n.RegisteredAt, n.LastPing, n.Revoked ? Revoked : n.Binding);
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Node registry storage unreachable; using the cached list")]
    private static partial void LogStorageDown(ILogger logger, Exception e);
}

/// <summary>An agent as <c>GET /api/agents</c> shows it. <paramref name="PausedUntil"/>: set while a pause asked for through the API lasts.</summary>
public sealed record AgentView(
    string NodeId, string Name, IReadOnlyList<string> Labels, string State, int Capacity, int Running, bool Exclusive,
    string? Version, string? Os, string? Arch, DateTimeOffset LastPing, DateTimeOffset RegisteredAt, IReadOnlyList<string> RunningTasks,
    DateTimeOffset? PausedUntil = null)
{
    /// <summary>How it connects: "agent" (its own credential), "shared" (a shared token, deprecated), "revoked"; null when not known.</summary>
    public string? Credential { get; init; }

    /// <summary>What an admin should do about <see cref="Credential"/>, if anything.</summary>
    public string? Warning { get; init; }

    /// <summary>Its version is older than the server's minimum (<c>ReviewBot:Agents:MinimumAgentVersion</c>);
    /// <see cref="VersionWarning"/> says so in words.</summary>
    public bool Outdated { get; init; }

    public string? VersionWarning { get; init; }

    /// <summary>An ephemeral agent (<c>--once</c>): it runs one task and exits.</summary>
    public bool Once { get; init; }
}
