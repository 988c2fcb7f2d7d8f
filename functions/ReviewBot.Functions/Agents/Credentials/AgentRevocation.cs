using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Agents.Credentials;

/// <summary>
/// An admin takes an agent out: <see cref="RevokeAsync"/> marks its credential revoked (a node id without one gets a
/// revoked row, so a shared token cannot register it either), marks the node revoked and offline, requeues every task
/// it holds (the ones this instance knows and those storage gives it), tells it to stop them, and closes its
/// connection through the channel (the in-process hub aborts it; Azure SignalR Service closes it by REST). It cannot
/// connect again (401) until an admin deletes the revoked credential (<see cref="ForgetAsync"/>) and it registers again
/// with a bootstrap token.
/// </summary>
public sealed partial class AgentRevocation(
    AgentCredentialStore store,
    AgentRegistry registry,
    NodeStore nodes,
    TaskStore tasks,
    TaskLifecycle lifecycle,
    IAgentChannel channel,
    AgentDirectory directory,
    TimeProvider time,
    ILogger<AgentRevocation> log)
{
    /// <summary>False when no agent with this node id is known (here, in the node table or by its credential).</summary>
    public async Task<bool> RevokeAsync(string nodeId, string by, CancellationToken ct)
    {
        var stored = await store.GetAsync(nodeId, ct);
        if (stored is null && registry.Get(nodeId) is null && await nodes.GetAsync(nodeId, ct) is null) return false;
        await MarkRevokedAsync(nodeId, stored, by, ct);

        var count = await CutOffHereAsync(nodeId, $"agent {registry.Get(nodeId)?.Name ?? nodeId} was revoked by {by}", ct);
        if (registry.Get(nodeId) is { } node) await directory.SaveAsync(node, ct);
        LogRevoked(log, nodeId, by, count);
        return true;
    }

    /// <summary>The local part of a revocation: the node is revoked and offline here, the tasks it holds (here, and those
    /// storage gives it under a lease no instance may hold any more) are requeued, it is told to stop them and its
    /// connection is closed. Returns how many tasks went back.</summary>
    public async Task<int> CutOffHereAsync(string nodeId, string reason, CancellationToken ct)
    {
        registry.Revoke(nodeId, out var connection, out var held);
        // Tasks storage gives this node that this instance does not hold (it may be connected to another instance) go back too.
        var stray = (await tasks.ActiveOfNodeAsync(nodeId, ct))
            .Where(t => t.LeaseToken is not null && held.All(h => h.Key != t.Id))
            .Select(t => new KeyValuePair<string, string>(t.Id, t.LeaseToken!));
        var all = held.Concat(stray).ToList();
        await lifecycle.RequeueLostAsync(nodeId, all, reason, ct);
        if (connection is not null)
        {
            foreach (var (taskId, lease) in held)
                await lifecycle.TellToStopAsync(connection, new TaskCancellation(taskId, lease, reason), ct);
            try { await channel.CloseAsync(connection, "revoked by an admin", ct); }
            catch (Exception e) when (e is not OperationCanceledException) { LogCloseFailed(log, nodeId, e); }
        }
        return all.Count;
    }

    /// <summary>Deletes a revoked credential so the node id may register again. Null when there is none; false when it is not revoked.</summary>
    public async Task<bool?> ForgetAsync(string nodeId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await store.GetAsync(nodeId, ct) is not { } stored) return null;
            if (!stored.Revoked) return false;
            if (!await store.TryDeleteAsync(stored, ct)) continue;
            registry.Unrevoke(nodeId);
            if (registry.Get(nodeId) is { } node) await directory.SaveAsync(node, ct);
            return true;
        }
        throw new InvalidOperationException($"the credential of node {nodeId} kept changing");
    }

    private async Task MarkRevokedAsync(string nodeId, StoredCredential? stored, string by, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (stored is { Revoked: true }) return;
            var revoked = stored is null
                ? new StoredCredential(nodeId, "", registry.Get(nodeId)?.Name ?? nodeId, time.GetUtcNow(), time.GetUtcNow(), by)
                : stored with { RevokedAt = time.GetUtcNow(), RevokedBy = by };
            if (stored is null ? await store.TryAddAsync(revoked, ct) : await store.TryReplaceAsync(revoked, ct)) return;
            stored = await store.GetAsync(nodeId, ct); // changed meanwhile: read again and retry
        }
        throw new InvalidOperationException($"the credential of node {nodeId} kept changing");
    }

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Agent {NodeId} revoked by {By}; {Count} task(s) requeued")]
    private static partial void LogRevoked(ILogger logger, string nodeId, string by, int count);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "Closing the connection of revoked agent {NodeId} failed")]
    private static partial void LogCloseFailed(ILogger logger, string nodeId, Exception e);
}
