using Azure;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>The task store's part of retention (<see cref="ITaskRetention"/>), read from the index's
/// <see cref="TaskIndexKeys.All"/> partition: the tasks created before a cutoff are one row-key range of it.</summary>
public sealed partial class TaskStore : ITaskRetention
{
    public async Task<TaskPage> ListCreatedBeforeAsync(DateTimeOffset cutoff, string? after, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // Row keys are newest first: every key past the cutoff's bound is a task created before it.
        var bound = TaskIndexKeys.RowKeyBound(cutoff);
        var from = after is not null && string.CompareOrdinal(after, bound) > 0 ? after : bound;
        var rows = await _index.RowsAsync(TaskIndexKeys.All, from, null, limit + 1, ct);
        var page = rows.Take(limit).ToList();
        var resolved = await ResolveAsync(page, ct);
        var next = rows.Count > limit ? page[^1].RowKey : null;
        return new TaskPage([.. resolved.Where(r => r.Task is not null).Select(r => r.Task!)], next);
    }

    public async Task<bool> DeleteAsync(ReviewTask task, CancellationToken ct)
    {
        if (task.Version is not { } version) return false;
        try
        {
            if (LegacyETag(task) is { } legacy) await account.Tasks.DeleteEntityAsync(task.Id, LegacyRowKey, new ETag(legacy), ct);
            else await account.Tasks.DeleteEntityAsync(task.Id, task.Id, new ETag(version), ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }

        // After the task row, like every removal of index rows: a crash in between leaves rows whose task is missing,
        // which readers skip and remove once they are older than OrphanAge.
        await _index.RemoveOlderAsync(TaskIndexKeys.For(task), DateTimeOffset.MaxValue, ct);
        return true;
    }

    public async Task DeleteResultAsync(string id, CancellationToken ct) =>
        await account.Results.GetBlobClient(id + ".json").DeleteIfExistsAsync(cancellationToken: ct);
}
