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
        return row.HasValue ? Read(row.Value!) : null;
    }

    /// <summary>Deletes the node's row if the table still shows it last seen (ping or registration) before
    /// <paramref name="cutoff"/>; the delete is checked against the ETag of that read, so a node that pinged or
    /// registered meanwhile stays. False when it stays. (Not the State column: an instance that died leaves its nodes
    /// "Online" there, while pings of a connected node reach the table every presence sweep.)</summary>
    public async Task<bool> TryDeleteIfSilentAsync(string nodeId, DateTimeOffset cutoff, CancellationToken ct)
    {
        var row = await account.Nodes.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Escape(nodeId), cancellationToken: ct);
        if (!row.HasValue) return false;
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
