using System.Text.Json;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Agents;

/// <summary>
/// The node registry as stored. Key scheme: PartitionKey = "node" (one partition, so that last-ping writes of
/// up to 100 nodes go in one Table transaction), RowKey = node id escaped by <see cref="TableKeys.Escape"/>.
/// Registration and state changes replace the row with its ETag; last pings are merged in batches
/// (<see cref="WriteLastPingsAsync"/>), never one write per heartbeat. A row without Data is a stray ping of a deleted
/// node, never a node: reads skip it and <see cref="ListAsync"/> deletes it (<see cref="IsPartial"/>).
/// <see cref="ListAsync"/> reads the whole partition: it holds the nodes seen within the retention age
/// (<c>ReviewBot:Retention:TaskAge</c>), since retention prunes nodes offline for longer (<see cref="AgentPruning"/>), so its size
/// is bounded by how many agents a deployment runs in that time, not by history.
/// </summary>
public sealed partial class NodeStore(StorageAccount account)
{
    public const string Partition = "node";
    /// <summary>Entities per Table transaction (the service's limit).</summary>
    public const int MaxBatch = 100;
    private long _transactions;

    /// <summary>Table requests made for last pings since start (for metrics and the benchmark).</summary>
    public long LastPingTransactions => Interlocked.Read(ref _transactions);

    public async Task UpsertAsync(NodeRecord node, CancellationToken ct)
    {
        var entity = new TableEntity(Partition, TableKeys.Escape(node.NodeId))
        {
            ["Data"] = JsonSerializer.Serialize(node, StorageJson.Options),
            ["LastPing"] = node.LastPing,
        };
        await account.Nodes.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    /// <summary>The nodes the table knows. A row without Data (see <see cref="IsPartial"/>) is left out and deleted.</summary>
    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken ct)
    {
        var list = new List<NodeRecord>();
        List<TableEntity>? partial = null;
        await foreach (var e in account.Nodes.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: ct))
        {
            if (IsPartial(e)) (partial ??= []).Add(e);
            else list.Add(Read(e));
        }
        foreach (var e in partial ?? []) await TryDeletePartialAsync(e, ct);
        return list;
    }

    /// <summary>
    /// The latest sign of life the table holds for one node (written by whichever instance it is connected to), or
    /// null when unknown: the later of its last ping and its last registration. The registration counts because a
    /// ping batch merges LastPing unconditionally, so an instance the node has just left can still write its older
    /// ping over the newer one of the instance the node moved to; the registration (in Data) is written only by the
    /// instance the node registers with, and no ping batch moves it back.
    /// </summary>
    public async Task<DateTimeOffset?> GetLastSeenAsync(string nodeId, CancellationToken ct)
    {
        var row = await account.Nodes.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Escape(nodeId), ["LastPing", "Data"], ct);
        if (!row.HasValue) return null;
        var ping = row.Value!.GetDateTimeOffset("LastPing");
        var registered = row.Value.GetString("Data") is { } data ? JsonSerializer.Deserialize<NodeRecord>(data, StorageJson.Options)?.RegisteredAt : null;
        return new[] { ping, registered }.Max();
    }

    /// <summary>Writes last-ping times in transactions of up to 100 entities (one partition).</summary>
    public async Task WriteLastPingsAsync(IReadOnlyCollection<(string NodeId, DateTimeOffset LastPing)> pings, CancellationToken ct)
    {
        foreach (var chunk in pings.Chunk(MaxBatch))
        {
            var actions = chunk.Select(p => new TableTransactionAction(
                TableTransactionActionType.UpsertMerge,
                new TableEntity(Partition, TableKeys.Escape(p.NodeId)) { ["LastPing"] = p.LastPing }));
            Interlocked.Increment(ref _transactions);
            await account.Nodes.SubmitTransactionAsync(actions, ct);
        }
    }
}

/// <summary>A node as stored (DESIGN §3 "Presence"). <paramref name="Credential"/>: the credential it last registered
/// with ("agent", "shared:&lt;i&gt;") or "revoked"; null in rows written before credentials existed.</summary>
public sealed record NodeRecord(
    string NodeId,
    string Name,
    IReadOnlyList<string> Labels,
    int Capacity,
    bool Exclusive,
    string Version,
    string Os,
    string Arch,
    string State,
    string? Instance,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastPing,
    string? Credential = null);
