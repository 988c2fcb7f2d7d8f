using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Reminders.Bindings;

/// <summary>A <c>bind</c> waiting for proof: chat user <paramref name="ChatId"/> on <paramref name="Platform"/> says they are
/// <paramref name="Login"/> on <paramref name="Host"/> ("github" or "gitlab").</summary>
public sealed record PendingBinding(string Platform, string ChatId, string Host, string Login, DateTimeOffset ExpiresAt);

/// <summary>Why a code did not bind anyone.</summary>
public enum RedeemFailure { Unknown, Expired, OtherUser }

/// <summary>
/// One-time codes of pending bindings. The chat user gets the code; the git user proves the claim by posting it (a
/// comment, <see cref="BindingProofs"/>), or an admin confirms it (<c>POST /api/bindings/confirm</c>). Codes are 10
/// characters from a 32-letter alphabet (50 bits), live <see cref="Lifetime"/>, work once, and are stored only as a hash.
/// Key scheme (the bindings table, beside <see cref="BindingStore"/>'s rows): PartitionKey = "pending" (not a platform
/// name), RowKey = "code|" + lower-case hex SHA-256 of the code. A chat user has at most one open code: a new <c>bind</c>
/// deletes their older ones. Redeeming deletes the row with its ETag, so of two confirmations of one code only one binds.
/// The filters of <see cref="CreateAsync"/> and <see cref="PurgeAsync"/> read the "pending" partition only: codes of the last
/// <see cref="Lifetime"/> plus those expired since the last hourly purge, not history.
/// </summary>
public sealed class BindingCodes(StorageAccount account)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    public const int Length = 10;

    /// <summary>No 0/O, 1/I: codes are read and typed by people.</summary>
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const string Partition = "pending";
    private const string Prefix = "code|";

    /// <summary>A fresh code for chat user <paramref name="chatId"/>'s claim to be <paramref name="login"/>; the only time
    /// the code exists in clear.</summary>
    public async Task<string> CreateAsync(string platform, string chatId, string host, string login, DateTimeOffset now, CancellationToken ct)
    {
        var older = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Platform eq {platform} and ChatId eq {chatId}");
        await foreach (var row in account.Bindings.QueryAsync<TableEntity>(older, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            await DeleteAsync(row.RowKey, ETag.All, ct);
        }

        var code = RandomNumberGenerator.GetString(Alphabet, Length);
        await account.Bindings.AddEntityAsync(new TableEntity(Partition, Row(code))
        {
            ["Platform"] = platform,
            ["ChatId"] = chatId,
            ["Host"] = host,
            ["Login"] = login,
            ["ExpiresAt"] = now + Lifetime,
        }, ct);
        return code;
    }

    /// <summary>
    /// Uses up <paramref name="code"/> if it is open and, when <paramref name="host"/>/<paramref name="login"/> are given (the
    /// code host user who posted it), was issued for that user; a code posted by someone else stays open for its owner.
    /// </summary>
    public async Task<(PendingBinding? Binding, RedeemFailure Failure)> RedeemAsync(string code, string? host, string? login, DateTimeOffset now, CancellationToken ct)
    {
        code = code.Trim().ToUpperInvariant();
        if (code.Length != Length || code.Any(c => !Alphabet.Contains(c))) return (null, RedeemFailure.Unknown);
        var found = await account.Bindings.GetEntityIfExistsAsync<TableEntity>(Partition, Row(code), cancellationToken: ct);
        if (!found.HasValue) return (null, RedeemFailure.Unknown);
        var row = found.Value!;
        var pending = new PendingBinding(row.GetString("Platform"), row.GetString("ChatId"), row.GetString("Host"), row.GetString("Login"),
            row.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue);
        if (pending.ExpiresAt < now)
        {
            await DeleteAsync(row.RowKey, row.ETag, ct);
            return (null, RedeemFailure.Expired);
        }

        if ((host is not null && !string.Equals(host, pending.Host, StringComparison.OrdinalIgnoreCase))
            || (login is not null && !string.Equals(login, pending.Login, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, RedeemFailure.OtherUser);
        }

        return await DeleteAsync(row.RowKey, row.ETag, ct) ? (pending, default) : (null, RedeemFailure.Unknown);
    }

    /// <summary>Deletes codes that expired before <paramref name="now"/> (hourly timer); returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and ExpiresAt lt {now}");
        await foreach (var row in account.Bindings.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            if (await DeleteAsync(row.RowKey, ETag.All, ct)) deleted++;
        }

        return deleted;
    }

    /// <summary>False when the row was gone or changed (someone else used the code first).</summary>
    private async Task<bool> DeleteAsync(string rowKey, ETag etag, CancellationToken ct)
    {
        try
        {
            await account.Bindings.DeleteEntityAsync(Partition, rowKey, etag, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    private static string Row(string code) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
