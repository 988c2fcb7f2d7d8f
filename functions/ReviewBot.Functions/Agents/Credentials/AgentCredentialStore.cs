using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Agents.Credentials;

/// <summary>
/// Per-agent credentials: which node id a credential speaks for, and whether an admin revoked it.
/// Key scheme: PartitionKey = "agent", RowKey = the node id (node ids are limited to <c>A-Z a-z 0-9 . _ -</c>,
/// <see cref="Contracts.Agents.RegistrationRules.IsValidNodeId"/>, so they are keys as they are).
/// Only a SHA-256 hash of the secret is stored, never the secret. Every change is ETag-checked: a first credential
/// is an insert (false when the node id has one), replacing, revoking and deleting go through the ETag of the row
/// read (false when it changed meanwhile), so two concurrent registrations cannot both win.
/// A revoked row stays (with <see cref="StoredCredential.RevokedAt"/>) so the node id cannot be registered again
/// until an admin deletes it. <see cref="ListAsync"/> reads the one partition: it holds the agents registered and not
/// pruned (retention deletes the credential of a node it prunes, <see cref="AgentPruning"/>) plus the revoked ones, so it
/// is bounded by the agents a deployment runs within the retention age, not by history.
/// </summary>
public sealed class AgentCredentialStore(StorageAccount account)
{
    public const string Partition = "agent";

    public async Task<StoredCredential?> GetAsync(string nodeId, CancellationToken ct)
    {
        var row = await account.AgentCredentials.GetEntityIfExistsAsync<TableEntity>(Partition, nodeId, cancellationToken: ct);
        return row.HasValue ? Read(row.Value!) : null;
    }

    public async Task<IReadOnlyList<StoredCredential>> ListAsync(CancellationToken ct)
    {
        var list = new List<StoredCredential>();
        await foreach (var e in account.AgentCredentials.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: ct))
            list.Add(Read(e));
        return list;
    }

    /// <summary>Stores the first credential of a node id; false when it has one already.</summary>
    public async Task<bool> TryAddAsync(StoredCredential c, CancellationToken ct)
    {
        try
        {
            await account.AgentCredentials.AddEntityAsync(Entity(c), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409) { return false; }
    }

    /// <summary>Replaces the row read as <paramref name="c"/> (its ETag); false when it changed or went meanwhile.</summary>
    public async Task<bool> TryReplaceAsync(StoredCredential c, CancellationToken ct)
    {
        try
        {
            await account.AgentCredentials.UpdateEntityAsync(Entity(c), c.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { return false; }
    }

    /// <summary>Deletes the row read as <paramref name="c"/> (its ETag); false when it changed or went meanwhile.</summary>
    public async Task<bool> TryDeleteAsync(StoredCredential c, CancellationToken ct)
    {
        try
        {
            await account.AgentCredentials.DeleteEntityAsync(Partition, c.NodeId, c.ETag, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { return false; }
    }

    private static TableEntity Entity(StoredCredential c) => new(Partition, c.NodeId)
    {
        ["SecretHash"] = c.SecretHash,
        ["Name"] = c.Name,
        ["IssuedAt"] = c.IssuedAt,
        ["RevokedAt"] = c.RevokedAt,
        ["RevokedBy"] = c.RevokedBy,
    };

    private static StoredCredential Read(TableEntity e) => new(
        e.RowKey, e.GetString("SecretHash") ?? "", e.GetString("Name") ?? e.RowKey, e.GetDateTimeOffset("IssuedAt") ?? default,
        e.GetDateTimeOffset("RevokedAt"), e.GetString("RevokedBy")) { ETag = e.ETag };
}

/// <summary>A node id's credential as stored. <paramref name="SecretHash"/>: lower-case hex SHA-256 of the secret;
/// empty for a node id revoked before it ever had a credential (a shared-token agent).</summary>
public sealed record StoredCredential(string NodeId, string SecretHash, string Name, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt, string? RevokedBy)
{
    public ETag ETag { get; init; }
    public bool Revoked => RevokedAt is not null;
}
