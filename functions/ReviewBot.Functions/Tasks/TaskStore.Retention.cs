using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>The task store's part of retention (<see cref="ITaskRetention"/>).</summary>
public sealed partial class TaskStore : ITaskRetention
{
    /// <summary>The row key of a task created at <paramref name="createdAt"/> in the "all tasks, newest first" index.</summary>
    public static string NewestFirstKey(DateTimeOffset createdAt, string id) =>
        (DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|" + id;

    public async Task<TaskPage> ListCreatedBeforeAsync(DateTimeOffset cutoff, string? after, int limit, CancellationToken ct)
    {
        // The task index (taskindex, partition "all") replaces this body: a range read of row keys
        // ≥ NewestFirstKey(cutoff, "") and > after, Take(limit). Until then, a filter on CreatedAt over the tasks table.
        var from = NewestFirstKey(cutoff, "");
        var old = new List<(string Key, ReviewTask Task)>();
        var filter = TableClient.CreateQueryFilter($"CreatedAt lt {cutoff}");
        await foreach (var e in account.Tasks.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var t = FromEntity(e);
            var key = NewestFirstKey(t.CreatedAt, t.Id);
            if (string.CompareOrdinal(key, from) >= 0 && (after is null || string.CompareOrdinal(key, after) > 0)) old.Add((key, t));
        }

        var page = old.OrderBy(x => x.Key, StringComparer.Ordinal).Take(limit).ToList();
        return new TaskPage([.. page.Select(x => x.Task)], page.Count < limit || page.Count == old.Count ? null : page[^1].Key);
    }

    public async Task<bool> DeleteAsync(ReviewTask task, CancellationToken ct)
    {
        // The index rows of the task go with it once the task index exists (same order: index rows after the task row,
        // so that a crash in between leaves index rows that point at nothing, which readers skip and retention removes).
        if (task.Version is not { } version) return false;
        try
        {
            await account.Tasks.DeleteEntityAsync(task.Id, "", new ETag(version), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task DeleteResultAsync(string id, CancellationToken ct) =>
        await account.Results.GetBlobClient(id + ".json").DeleteIfExistsAsync(cancellationToken: ct);
}
