using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Reminders.Chat.Commands;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Reminders.Chat;

/// <summary>
/// Chat requests already carried out, so that a captured request is good for one command only, whichever instance
/// receives it (an in-memory cache would be per instance).
/// Key scheme: table <c>&lt;prefix&gt;chatreplays</c>; PartitionKey = <see cref="ReplayKey.Family"/> ("slack", "feishu" — Lark
/// too, it uses the same keys —, "dingtalk", "wecom"); RowKey = lower-case hex SHA-256 of <see cref="ReplayKey.Value"/>
/// (signatures hold '/' and '+', which keys may not). Columns: <c>ExpiresAt</c> (<see cref="ReplayKey.Until"/>: after it the
/// platform's window has closed for the request, so the row means nothing) and <c>SeenAt</c>.
/// A claim is an insert, which Table Storage makes atomic: of two instances receiving the same request, one wins. A row
/// found expired is taken over with an ETag-checked replace. <see cref="PurgeAsync"/> deletes expired rows (hourly timer):
/// its filter on ExpiresAt reads the whole table, which holds only requests whose window (minutes) closed within the last
/// hour or is still open, so its size follows the chat traffic of about an hour, not history.
/// </summary>
public sealed class ChatReplayStore(StorageAccount account)
{
    /// <summary>True when <paramref name="key"/> had not been seen (it is now); false for a replay.</summary>
    public async Task<bool> TryClaimAsync(ReplayKey key, DateTimeOffset now, CancellationToken ct)
    {
        var entity = new TableEntity(key.Family, Row(key.Value))
        {
            ["ExpiresAt"] = key.Until,
            ["SeenAt"] = now,
        };
        try
        {
            await account.ChatReplays.AddEntityAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Seen before; it counts unless that row's window has closed.
        }

        var seen = await account.ChatReplays.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: ct);
        if (!seen.HasValue) return await TryClaimAsync(key, now, ct); // purged in between: claim afresh
        if (seen.Value!.GetDateTimeOffset("ExpiresAt") is { } expires && expires >= now) return false;
        try
        {
            await account.ChatReplays.UpdateEntityAsync(entity, seen.Value.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false; // another instance took it over first
        }
    }

    /// <summary>Deletes the rows whose window closed before <paramref name="now"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"ExpiresAt lt {now}");
        await foreach (var row in account.ChatReplays.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            try
            {
                await account.ChatReplays.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, ct);
                deleted++;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Another instance purged it.
            }
        }

        return deleted;
    }

    private static string Row(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
