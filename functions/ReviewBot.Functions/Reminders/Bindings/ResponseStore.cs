using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

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
}

/// <summary>
/// Reminder responses. Key scheme: PartitionKey = "host:owner/name#n" (lower-case repository), RowKey = lower-case git login,
/// both escaped by <see cref="TableKeys.Escape"/>. Every change is a read-modify-write checked with the row's ETag (an insert
/// when there is no row), retried on a conflict, so a chat command and a scheduled run never lose each other's write.
/// </summary>
public sealed class ResponseStore(StorageAccount account)
{
    public async Task<ResponseRecord?> GetAsync(PullRequestKey pr, string login, CancellationToken ct)
    {
        var row = await account.Responses.GetEntityIfExistsAsync<TableEntity>(Partition(pr), Row(login), cancellationToken: ct);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>Every record (the table holds one row per reminded person and open pull request; a run reads it once).</summary>
    public async Task<IReadOnlyList<ResponseRecord>> ListAsync(CancellationToken ct)
    {
        var list = new List<ResponseRecord>();
        await foreach (var e in account.Responses.QueryAsync<TableEntity>(cancellationToken: ct)) list.Add(FromEntity(e));
        return list;
    }

    /// <summary>Every record of <paramref name="login"/> (for <c>ack</c> without a pull request).</summary>
    public async Task<IReadOnlyList<ResponseRecord>> ListForAsync(string login, CancellationToken ct)
    {
        var list = new List<ResponseRecord>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {Row(login)}");
        await foreach (var e in account.Responses.QueryAsync<TableEntity>(filter, cancellationToken: ct)) list.Add(FromEntity(e));
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
            try
            {
                var response = current is null
                    ? await account.Responses.AddEntityAsync(ToEntity(next), ct)
                    : await account.Responses.UpdateEntityAsync(ToEntity(next), current.ETag, TableUpdateMode.Replace, ct);
                return next with { ETag = response.Headers.ETag ?? default };
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // Someone else wrote between our read and write: decide again on the fresh row.
            }
        }
    }

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
    };
}
