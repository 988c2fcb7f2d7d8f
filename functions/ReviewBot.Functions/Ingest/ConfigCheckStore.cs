using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Ingest;

/// <summary>A claim on posting one failed <c>reviewbot/config</c> check: its row and the ETag it was written with.</summary>
public sealed record ConfigCheckClaim(string Partition, string Row, ETag ETag, string Expiry);

/// <summary>
/// Which failed <c>reviewbot/config</c> checks were posted: once per (repository, head commit, errors), by whichever
/// instance claims it first, across restarts. Per head commit because a check belongs to the commit it is posted on: a
/// pull request shows its head's checks, so each new head carries its own; redeliveries, reopenings and a second
/// instance seeing the same head post nothing more (and GitLab refuses setting a status to the state it has). Key scheme, two kinds of rows in the table <c>{prefix}configchecks</c>:
/// <list type="bullet">
/// <item>the claim row: PartitionKey = the repository, lower-cased, escaped by <see cref="TableKeys.Escape"/>
///   ("group%2Fsub%2Fproject"); RowKey = <c>{head commit, lower-case}|{first 32 hex digits of the SHA-256 of the errors'
///   "file:line:col: message" lines}</c>; columns ClaimedAt, Posted, Expiry (the row key of its expiry row). Found by
///   one point read; claimed by insert-if-absent, so of two instances racing, one posts.</item>
/// <item>the expiry row: PartitionKey = <see cref="ExpiryPartition"/>, RowKey = <c>{ClaimedAt ticks:D19}|{8 random hex
///   digits}|{claim PartitionKey}|{claim RowKey}</c> (the random part: two instances claiming in the same tick write
///   rows of their own), so the claims made before a cutoff are one range read from the partition's start
///   (<see cref="ExpireAsync"/>, run by retention after TaskAge).</item>
/// </list>
/// The expiry row is written before the claim row and deleted after it, so every claim row has one. A claim whose post
/// failed is released (its row deleted, ETag-checked), so the next push posts again; a claim left unposted by an
/// instance that stopped mid-way is taken over (ETag-checked) once it is <see cref="ClaimTimeout"/> old.
/// </summary>
public sealed class ConfigCheckStore(StorageAccount account, TimeProvider time)
{
    public const string ExpiryPartition = "~expiry";

    /// <summary>How long an unposted claim holds: far longer than a post takes (one API call, retried).</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(5);

    private TableClient Table => account.ConfigChecks;

    /// <summary>The claim on posting the check for these errors at this base, or null when it was posted (or is being
    /// posted) already.</summary>
    public async Task<ConfigCheckClaim?> TryClaimAsync(string repository, string commit, IReadOnlyList<ConfigError> errors, CancellationToken ct)
    {
        var (partition, row) = Keys(repository, commit, errors);
        var now = time.GetUtcNow();
        var expiry = ExpiryKey(now, partition, row);
        await Table.UpsertEntityAsync(new TableEntity(ExpiryPartition, expiry), TableUpdateMode.Replace, ct);
        var entity = new TableEntity(partition, row) { ["ClaimedAt"] = now, ["Posted"] = false, ["Expiry"] = expiry };
        try
        {
            var added = await Table.AddEntityAsync(entity, ct);
            return new ConfigCheckClaim(partition, row, added.Headers.ETag ?? ETag.All, expiry);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Claimed before: ours is taken over only from an instance that stopped before posting.
            var taken = await TakeOverAsync(entity, now, ct);
            if (taken is null) await DeleteIfExistsAsync(ExpiryPartition, expiry, ct);
            return taken;
        }
    }

    private async Task<ConfigCheckClaim?> TakeOverAsync(TableEntity entity, DateTimeOffset now, CancellationToken ct)
    {
        var held = await Table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: ct);
        if (!held.HasValue || held.Value!.GetBoolean("Posted") != false || held.Value.GetDateTimeOffset("ClaimedAt") is not { } at || now - at < ClaimTimeout)
            return null;
        try
        {
            var replaced = await Table.UpdateEntityAsync(entity, held.Value.ETag, TableUpdateMode.Replace, ct);
            // The old claim's expiry row goes; ours now leads to the row.
            if (held.Value.GetString("Expiry") is { } old) await DeleteIfExistsAsync(ExpiryPartition, old, ct);
            return new ConfigCheckClaim(entity.PartitionKey, entity.RowKey, replaced.Headers.ETag ?? ETag.All, (string)entity["Expiry"]);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null; // another instance took it over, or it was released: that one posts, or the next push does
        }
    }

    /// <summary>The check was posted: the claim holds until retention removes it.</summary>
    public async Task MarkPostedAsync(ConfigCheckClaim claim, CancellationToken ct)
    {
        try
        {
            await Table.UpdateEntityAsync(new TableEntity(claim.Partition, claim.Row) { ["Posted"] = true }, claim.ETag, TableUpdateMode.Merge, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Taken over after ClaimTimeout (this post was slow): that instance posts the same check once more.
        }
    }

    /// <summary>The post failed: the claim goes (if still ours), so the next push tries again.</summary>
    public async Task ReleaseAsync(ConfigCheckClaim claim, CancellationToken ct)
    {
        try
        {
            await Table.DeleteEntityAsync(claim.Partition, claim.Row, claim.ETag, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return; // taken over by another instance: its expiry row is its own
        }

        await DeleteIfExistsAsync(ExpiryPartition, claim.Expiry, ct);
    }

    /// <summary>Deletes at most <paramref name="limit"/> claims made before <paramref name="cutoff"/>, oldest first,
    /// with their expiry rows; returns how many expiry rows went (fewer than the limit: none older is left).</summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ExpiryPartition} and RowKey lt {Ticks(cutoff)}");
        var expired = new List<string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: limit, select: ["RowKey"], cancellationToken: ct))
        {
            expired.Add(e.RowKey);
            if (expired.Count == limit) break;
        }

        foreach (var key in expired)
        {
            // A claim row taken over since points at a younger expiry row: it stays until that one is old.
            if (key.Split('|', 4) is [_, _, var partition, var row]
                && (await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, select: ["Expiry"], cancellationToken: ct)) is { HasValue: true } held
                && held.Value!.GetString("Expiry") == key)
                await DeleteIfExistsAsync(partition, row, ct, held.Value.ETag);
        }

        foreach (var chunk in expired.Chunk(100))
            await Table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete,
                new TableEntity(ExpiryPartition, k), ETag.All)), ct);
        return expired.Count;
    }

    /// <summary>The claim row's keys: the repository's partition, the head commit and a digest of the errors.</summary>
    public static (string Partition, string Row) Keys(string repository, string commit, IReadOnlyList<ConfigError> errors)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', errors.Select(e => e.ToString()))));
        return (TableKeys.Escape(repository.ToLowerInvariant()), $"{commit.ToLowerInvariant()}|{Convert.ToHexStringLower(digest)[..32]}");
    }

    private async Task DeleteIfExistsAsync(string partition, string row, CancellationToken ct, ETag? etag = null)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, row, etag ?? ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone already, or changed since it was read (taken over: it stays).
        }
    }

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static string ExpiryKey(DateTimeOffset at, string partition, string row) =>
        $"{Ticks(at)}|{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}|{partition}|{row}";
}
