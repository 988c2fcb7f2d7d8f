using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Agents;

/// <summary>The node table's point read and its pruning (<see cref="AgentPruning"/>).</summary>
public sealed partial class NodeStore
{
    /// <summary>The node's row, or null when the table does not know it.</summary>
    public async Task<NodeRecord?> GetAsync(string nodeId, CancellationToken ct)
    {
        var row = await account.Nodes.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Escape(nodeId), cancellationToken: ct);
        return row.HasValue && !IsPartial(row.Value!) ? Read(row.Value!) : null;
    }

    /// <summary>Deletes the node's row, whatever it holds (a deregistered node: <see cref="NodeDeregistration"/>).</summary>
    public async Task DeleteAsync(string nodeId, CancellationToken ct)
    {
        try { await account.Nodes.DeleteEntityAsync(Partition, TableKeys.Escape(nodeId), ETag.All, ct); }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    /// <summary>
    /// A row with a LastPing but no Data: never written by a registration, only by a last-ping batch
    /// (<see cref="WriteLastPingsAsync"/> merges unconditionally, so it creates the row when a batch taken before a node
    /// was deleted, deregistered or pruned, reaches the table after the delete). Such a row names no node: reads ignore
    /// it and listing deletes it (<see cref="TryDeletePartialAsync"/>).
    /// </summary>
    private static bool IsPartial(TableEntity e) => e.GetString("Data") is null;

    /// <summary>Deletes a partial row checked against its ETag, so a registration that wrote Data meanwhile stays.</summary>
    private async Task TryDeletePartialAsync(TableEntity e, CancellationToken ct)
    {
        try { await account.Nodes.DeleteEntityAsync(Partition, e.RowKey, e.ETag, ct); }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412) { }
    }

    /// <summary>Deletes the node's row if the table still shows it last seen (ping or registration) before
    /// <paramref name="cutoff"/>; the delete is checked against the ETag of that read, so a node that pinged or
    /// registered meanwhile stays. False when it stays. (Not the State column: an instance that died leaves its nodes
    /// "Online" there, while pings of a connected node reach the table every presence sweep.)</summary>
    public async Task<bool> TryDeleteIfSilentAsync(string nodeId, DateTimeOffset cutoff, CancellationToken ct)
    {
        var row = await account.Nodes.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Escape(nodeId), cancellationToken: ct);
        if (!row.HasValue || IsPartial(row.Value!)) return false;
        var node = Read(row.Value!);
        if (LastSeen(node) >= cutoff) return false;
        try
        {
            await account.Nodes.DeleteEntityAsync(Partition, row.Value!.RowKey, row.Value.ETag, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>The later of the node's last ping and its last registration.</summary>
    public static DateTimeOffset LastSeen(NodeRecord node) => node.LastPing > node.RegisteredAt ? node.LastPing : node.RegisteredAt;

    private static NodeRecord Read(TableEntity e)
    {
        var node = JsonSerializer.Deserialize<NodeRecord>(e.GetString("Data"), StorageJson.Options)!;
        return node with { LastPing = e.GetDateTimeOffset("LastPing") ?? node.LastPing };
    }
}
