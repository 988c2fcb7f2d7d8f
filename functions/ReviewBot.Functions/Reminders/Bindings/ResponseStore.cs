using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Reminders.Bindings;

/// <summary>A pull request as keyed in responses: host, repository ("owner/name") and number.</summary>
public sealed record PullRequestKey(string Host, string Repository, int Number)
{
    public static PullRequestKey Of(PullRequestSnapshot pr) => new(pr.Host, pr.Repository, pr.Number);

    public override string ToString() => $"{Host}:{Repository.ToLowerInvariant()}#{Number.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// What one person did about one pull request's reminders, and how many they got.
/// </summary>
/// <param name="SnoozedUntil">No reminder before then (<c>snooze</c>).</param>
/// <param name="AckedAt">No reminder until the pull request has activity after this (<c>ack</c>).</param>
/// <param name="RemindersSent">Reminders since the pull request last changed or the person last answered; escalation counts these.</param>
/// <param name="SeenActivityAt">The pull request's last activity when <see cref="RemindersSent"/> was last counted; a newer one resets the count.</param>
/// <param name="EscalatedAt">When the admins were told, for this count; cleared with the count.</param>
public sealed record ResponseRecord(
    PullRequestKey PullRequest,
    string Login,
    DateTimeOffset? SnoozedUntil = null,
    DateTimeOffset? AckedAt = null,
    int RemindersSent = 0,
    DateTimeOffset? LastRemindedAt = null,
    DateTimeOffset? SeenActivityAt = null,
    DateTimeOffset? EscalatedAt = null)
{
    public ETag ETag { get; init; }

    /// <summary>The key of its touched row in storage (<see cref="ResponseStore"/>); null for a new record or a row written
    /// before touched rows existed.</summary>
    internal string? Touched { get; init; }
}

/// <summary>
/// Reminder responses. Key scheme, three kinds of rows in the responses table:
/// <list type="bullet">
/// <item>the response: PartitionKey = "host:owner/name#n" (lower-case repository), RowKey = lower-case git login, both escaped
///   by <see cref="TableKeys.Escape"/>; columns as <see cref="ResponseRecord"/>, <c>UpdatedAt</c> and <c>Touched</c> (the key
///   of its touched row). A reminder run reads the partitions of the pull requests it looks at (<see cref="ListForAsync(IEnumerable{PullRequestKey}, CancellationToken)"/>).</item>
/// <item>the login row: PartitionKey = <c>~login|{login}</c>, RowKey = the response's PartitionKey: a person's responses
///   (<c>ack</c> without a pull request) are one partition read.</item>
/// <item>the touched row: PartitionKey = <see cref="TouchedPartition"/>, RowKey = <c>{UpdatedAt ticks:D19}|{PartitionKey}|{RowKey}</c>
///   of the response as first written: retention reads the rows touched before its cutoff as one range from the
///   partition's start, and moves the row of a response updated since to its newer time (<see cref="ExpireAsync"/>).</item>
/// </list>
/// Both index rows are upserted before the response is written (every write, so rows written before they existed get
/// theirs when next written) and deleted after it, so a response never lacks them; an index row pointing at nothing is
/// skipped by readers and removed by retention. Every change of a response is a read-modify-write checked with the row's
/// ETag (an insert when there is no row), retried on a conflict, so a chat command and a scheduled run never lose each
/// other's write.
/// </summary>
public sealed class ResponseStore(StorageAccount account, TimeProvider time)
{
    public async Task<ResponseRecord?> GetAsync(PullRequestKey pr, string login, CancellationToken ct)
    {
        var row = await account.Responses.GetEntityIfExistsAsync<TableEntity>(Partition(pr), Row(login), cancellationToken: ct);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    public const string TouchedPartition = "~touched";
    private const string LoginPrefix = "~login|";

    /// <summary>Every record of the pull requests <paramref name="pullRequests"/> (a reminder run: one partition read each).</summary>
    public async Task<IReadOnlyList<ResponseRecord>> ListForAsync(IEnumerable<PullRequestKey> pullRequests, CancellationToken ct)
    {
        var list = new List<ResponseRecord>();
        foreach (var partition in pullRequests.Select(Partition).Distinct(StringComparer.Ordinal))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
            await foreach (var e in account.Responses.QueryAsync<TableEntity>(filter, cancellationToken: ct)) list.Add(FromEntity(e));
        }

        return list;
    }

    /// <summary>Every record of <paramref name="login"/> (for <c>ack</c> without a pull request): its login rows, then a point
    /// read each.</summary>
    public async Task<IReadOnlyList<ResponseRecord>> ListForAsync(string login, CancellationToken ct)
    {
        var list = new List<ResponseRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {LoginPrefix + Row(login)}");
        await foreach (var e in account.Responses.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
        {
            var row = await account.Responses.GetEntityIfExistsAsync<TableEntity>(e.RowKey, Row(login), cancellationToken: ct);
            if (row.HasValue) list.Add(FromEntity(row.Value!));
        }

        return list;
    }

    /// <summary>
    /// Read-modify-write: <paramref name="change"/> gets the current record (a fresh one when there is none) and returns the
    /// new one, or null to leave it. Retried on a concurrent change. Returns the record as written, or null when declined.
    /// </summary>
    public async Task<ResponseRecord?> UpdateAsync(PullRequestKey pr, string login, Func<ResponseRecord, ResponseRecord?> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetAsync(pr, login, ct);
            var next = change(current ?? new ResponseRecord(pr, login));
            if (next is null) return null;
            var now = time.GetUtcNow();
            var touched = current?.Touched ?? TouchedKey(now, Partition(pr), Row(login));
            await account.Responses.UpsertEntityAsync(new TableEntity(LoginPrefix + Row(login), Partition(pr)), TableUpdateMode.Replace, ct);
            await account.Responses.UpsertEntityAsync(new TableEntity(TouchedPartition, touched), TableUpdateMode.Replace, ct);
            var entity = ToEntity(next);
            entity["UpdatedAt"] = now;
            entity["Touched"] = touched;
            try
            {
                var response = current is null
                    ? await account.Responses.AddEntityAsync(entity, ct)
                    : await account.Responses.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, ct);
                return next with { ETag = response.Headers.ETag ?? default };
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // Someone else wrote between our read and write: decide again on the fresh row.
            }
        }
    }

    /// <summary>
    /// Deletes at most <paramref name="limit"/> responses not written since <paramref name="cutoff"/>, with their index rows;
    /// a response written since is given a touched row at its newer time instead. Returns how many responses went, and
    /// whether touched rows older than the cutoff may remain (the batch was full).
    /// </summary>
    public async Task<(int Deleted, bool More)> ExpireAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TouchedPartition} and RowKey lt {Ticks(cutoff)}");
        var keys = new List<string>();
        await foreach (var e in account.Responses.QueryAsync<TableEntity>(filter, maxPerPage: limit, select: ["RowKey"], cancellationToken: ct))
        {
            keys.Add(e.RowKey);
            if (keys.Count == limit) break;
        }

        var deleted = 0;
        foreach (var key in keys)
        {
            if (key.Split('|', 3) is [_, var partition, var row]
                && await account.Responses.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: ct) is { HasValue: true } found)
            {
                var e = found.Value!;
                if (e.GetDateTimeOffset("UpdatedAt") is { } updated && updated >= cutoff)
                {
                    // Written since: its touched row moves to its time, then the response points at it (ETag-checked: a
                    // write meanwhile keeps the pointer it had, which is the old key; the next pass moves it again).
                    var moved = TouchedKey(updated, partition, row);
                    await account.Responses.UpsertEntityAsync(new TableEntity(TouchedPartition, moved), TableUpdateMode.Replace, ct);
                    e["Touched"] = moved;
                    try { await account.Responses.UpdateEntityAsync(e, e.ETag, TableUpdateMode.Replace, ct); }
                    catch (RequestFailedException x) when (x.Status is 404 or 412) { continue; }
                }
                else
                {
                    try { await account.Responses.DeleteEntityAsync(partition, row, e.ETag, ct); }
                    catch (RequestFailedException x) when (x.Status is 404 or 412) { continue; } // written meanwhile: next pass
                    await DeleteIfExistsAsync(LoginPrefix + row, partition, ct);
                    deleted++;
                }
            }

            await DeleteIfExistsAsync(TouchedPartition, key, ct);
        }

        return (deleted, keys.Count == limit);
    }

    private async Task DeleteIfExistsAsync(string partition, string row, CancellationToken ct)
    {
        try { await account.Responses.DeleteEntityAsync(partition, row, ETag.All, ct); }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static string TouchedKey(DateTimeOffset at, string partition, string row) => $"{Ticks(at)}|{partition}|{row}";

    private static string Partition(PullRequestKey pr) => TableKeys.Escape(pr.ToString());

    private static string Row(string login) => TableKeys.Escape(login.ToLowerInvariant());

    private static TableEntity ToEntity(ResponseRecord r) => new(Partition(r.PullRequest), Row(r.Login))
    {
        ["Host"] = r.PullRequest.Host,
        ["Repository"] = r.PullRequest.Repository,
        ["Number"] = r.PullRequest.Number,
        ["Login"] = r.Login,
        ["SnoozedUntil"] = r.SnoozedUntil,
        ["AckedAt"] = r.AckedAt,
        ["RemindersSent"] = r.RemindersSent,
        ["LastRemindedAt"] = r.LastRemindedAt,
        ["SeenActivityAt"] = r.SeenActivityAt,
        ["EscalatedAt"] = r.EscalatedAt,
    };

    private static ResponseRecord FromEntity(TableEntity e) => new(
        new PullRequestKey(e.GetString("Host"), e.GetString("Repository"), e.GetInt32("Number") ?? 0),
        e.GetString("Login"),
        e.GetDateTimeOffset("SnoozedUntil"),
        e.GetDateTimeOffset("AckedAt"),
        e.GetInt32("RemindersSent") ?? 0,
        e.GetDateTimeOffset("LastRemindedAt"),
        e.GetDateTimeOffset("SeenActivityAt"),
        e.GetDateTimeOffset("EscalatedAt"))
    {
        ETag = e.ETag,
        Touched = e.GetString("Touched"),
    };
}
