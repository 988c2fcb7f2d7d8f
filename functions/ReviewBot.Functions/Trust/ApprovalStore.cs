using Azure;
using Azure.Data.Tables;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Trust;

/// <summary>
/// Approvals of untrusted pull requests (<c>/ok-to-test</c>, the approval label).
/// Key scheme: table <c>{prefix}approvals</c>; PartitionKey = <c>{host}/{repository, lower-case}/{number}</c> escaped by
/// <see cref="TableKeys.Escape"/> (one partition per pull request); RowKey = <c>first</c> for the first approval the pull
/// request got, and <c>sha-{head sha, lower-case}</c> for the approval of one pushed commit. Columns: By, At, How.
/// Rows are only ever inserted: an insert that finds its row (409) keeps the earlier approval, so concurrent approvals
/// need no ETag and the first stays first. Read by point reads only, never by a query; rows grow by one per approved head
/// and one per approved pull request, and retention leaves them (a long-open pull request keeps its first approval).
/// </summary>
public sealed class ApprovalStore(StorageAccount account)
{
    private const string First = "first";

    public static string PartitionKey(string host, string repository, int number) =>
        TableKeys.Escape($"{host}/{repository.ToLowerInvariant()}/{number}");

    private static string HeadKey(string sha) => "sha-" + TableKeys.Escape(sha.ToLowerInvariant());

    /// <summary>The approval of <paramref name="headSha"/> and the first approval of the pull request, when there are.</summary>
    public async Task<Approvals> GetAsync(string host, string repository, int number, string headSha, CancellationToken ct)
    {
        var pk = PartitionKey(host, repository, number);
        var head = ReadAsync(pk, HeadKey(headSha), ct);
        var first = ReadAsync(pk, First, ct);
        return new Approvals(await head, await first);
    }

    /// <summary>Records <paramref name="approval"/> as the pull request's first (unless it has one) and as the approval of
    /// each of <paramref name="heads"/> (unless approved already).</summary>
    public async Task RecordAsync(string host, string repository, int number, Approval approval, IEnumerable<string> heads, CancellationToken ct)
    {
        var pk = PartitionKey(host, repository, number);
        foreach (var rk in heads.Select(HeadKey).Distinct().Append(First))
        {
            try
            {
                await account.Approvals.AddEntityAsync(new TableEntity(pk, rk) { ["By"] = approval.By, ["At"] = approval.At, ["How"] = approval.How }, ct);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Approved already: the earlier approval stands.
            }
        }
    }

    private async Task<Approval?> ReadAsync(string pk, string rk, CancellationToken ct)
    {
        var row = await account.Approvals.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct);
        return row.HasValue && row.Value is { } e
            ? new Approval(e.GetString("By") ?? "", e.GetDateTimeOffset("At") ?? default, e.GetString("How") ?? "")
            : null;
    }
}
