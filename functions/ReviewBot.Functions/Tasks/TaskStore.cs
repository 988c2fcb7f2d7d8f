using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// Tasks, and the index that answers every list of them without a scan.
/// <para><b>Tasks table</b>: PartitionKey = RowKey = task id (already key-safe: lower-case hex, letters, digits and '-').
/// One partition per task keeps point reads and ETag-checked writes independent of each other; a row key of its own
/// keeps a point read at one row on stores that look rows up by row key first (Azurite). Rows of versions before
/// the row key was the id sit at RowKey "" (<see cref="LegacyRowKey"/>): read where no row is at the id, moved to the id
/// by the first write (insert-if-absent: legacy rows never change, so a move can not lose an update) and by
/// <see cref="TaskIndexBackfill"/>, which ends the legacy reads when it has moved them all. Columns:
/// State, Repository, RepositoryKey, NodeId, CreatedAt, ReportPending, JobName (kept for operators) and Data (the whole
/// task as JSON). Results (findings, unexpected lines, changed files) live in the blob results/{id}.json.
/// Data is one property, at most 32,768 characters: every write goes through <see cref="TaskRowFit"/>, so a change never
/// fails for its size (values as written, cut where needed, are what callers get back).</para>
/// <para><b>Index tables</b> (<c>{prefix}taskindex</c> and <c>{prefix}taskactive</c>, <see cref="TaskIndex"/>): the rows
/// <see cref="TaskIndexKeys.For"/> yields for the task as stored, one partition per question (all, per repository, node,
/// job, state; the active tasks of a pull request, node and job; the tasks of a commit; reports pending; ended job runs),
/// row keys newest first; the partitions of active tasks in the second table.</para>
/// <para><b>Write order</b>: with O the keys of the version replaced and N those of the new one, N∖O is upserted before
/// the ETag-checked task write and O∖N removed after it. The task row records the ETag of each of its index rows
/// (column IndexVersions): a removal is a delete on that ETag, with no read, and leaves a row written again since (by a
/// writer that needs it); a row whose ETag it does not know (older versions) is read and removed only if older than the
/// new version. A crash or a lost ETag race can leave an extra row, never a missing one. Every read through the index point-reads the tasks of the page (<see cref="TaskIndex.Parallelism"/> at
/// once) and keeps an entry only if the task still yields it; an entry that does not is skipped and removed if it is
/// older than the task's version (lazy repair), so lists are exact and show a task once.</para>
/// <para>Rows written before the index existed are indexed by <see cref="TaskIndexBackfill"/> at start.</para>
/// </summary>
public sealed partial class TaskStore(StorageAccount account, TimeProvider? time = null) : ITaskStore
{
    /// <summary>An index entry whose task does not exist (a create that crashed or lost to another, a deletion that
    /// crashed) is removed once it is this old: a younger one may belong to a create in flight.</summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(5);

    /// <summary>The row key of tasks stored before the row key was the task id.</summary>
    public const string LegacyRowKey = "";

    // A task read from a legacy row carries this before its ETag, so that its write knows the row to move.
    private const string LegacyVersion = "legacy:";

    private readonly TaskIndex _index = new(account.TaskIndex, account.TaskActive);
    private volatile bool _legacyRowsMayExist = true;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Raised after every task this instance created or changed, with the value as written
    /// (live updates, tests awaiting a state).</summary>
    public event Action<ReviewTask>? Changed;

    internal static JsonSerializerOptions Json => StorageJson.Options;

    /// <summary>Inserts the task and returns it with its ETag; null when a task with this id exists (redelivery, second instance).</summary>
    public async Task<ReviewTask?> TryCreateAsync(ReviewTask task, CancellationToken ct)
    {
        if (_legacyRowsMayExist && await RowAsync(task.Id, LegacyRowKey, ct) is not null) return null;
        var (entity, fitted) = ToEntity(task);
        var versions = Encode(await _index.AddAsync(TaskIndexKeys.For(fitted), ct));
        entity[IndexVersionsColumn] = Serialize(versions);
        try
        {
            var response = await account.Tasks.AddEntityAsync(entity, ct);
            var created = fitted with { Version = response.Headers.ETag?.ToString(), IndexVersions = versions };
            Remember(created);
            Changed?.Invoke(created);
            return created;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The rows written for this value and not for the stored one are skipped by readers and repaired later.
            return null;
        }
    }

    /// <summary>Stores many new tasks at once (the bench's and tests' fills): their index rows in batches of up to 100 per
    /// partition, then the task rows, <see cref="TaskIndex.Parallelism"/> at a time. A task whose id exists is left as it is.</summary>
    public async Task ImportAsync(IReadOnlyList<ReviewTask> tasks, CancellationToken ct)
    {
        var rows = tasks.Select(ToEntity).ToList();
        await _index.AddAsync(rows.SelectMany(r => TaskIndexKeys.For(r.Task)), ct);
        await Parallel.ForEachAsync(rows, TaskIndex.Options(ct), async (row, token) =>
        {
            try { await account.Tasks.AddEntityAsync(row.Entity, token); }
            catch (RequestFailedException e) when (e.Status == 409) { }
        });
    }

    public async Task<ReviewTask?> GetAsync(string id, CancellationToken ct) => (await ReadAsync(id, ct)).Task;

    /// <summary>
    /// Read-modify-write with optimistic concurrency: <paramref name="change"/> gets the current task and
    /// returns the new one, or null to leave it as it is. Retried on a concurrent change (412).
    /// Returns the task as written, or null when the task does not exist or <paramref name="change"/> declined.
    /// </summary>
    /// <param name="known">The task as last seen (with its ETag), to save the first read; a stale one costs one retry.</param>
    public async Task<ReviewTask?> UpdateAsync(string id, Func<ReviewTask, ReviewTask?> change, CancellationToken ct, ReviewTask? known = null)
    {
        // Index rows this call added (with their ETags) for a version that then lost its ETag race: removed once a version is written.
        var added = new Dictionary<TaskIndexKey, string>();
        // Without a value from the caller, the version this instance last wrote saves the read: a stale one costs a
        // 412 and a retry, and a decision to leave the task as it is is only taken on a value read from the table.
        var remembered = known is null;
        known ??= _written.GetValueOrDefault(id);
        for (var attempt = 0; ; attempt++)
        {
            var given = attempt == 0 && known is { Id: var k } && k == id && known.Version is not null;
            var current = given ? known : await GetAsync(id, ct);
            if (current is null) return null;
            var next = change(current);
            if (next is null && given && remembered) next = await GetAsync(id, ct) is { } fresh ? change(current = fresh) : null;
            if (next is null) return null;
            var (entity, fitted) = ToEntity(next);
            var before = TaskIndexKeys.For(current);
            var after = TaskIndexKeys.For(fitted);
            var missing = after.Except(before).ToList();
            var rowVersions = Decode(current.IndexVersions);
            foreach (var (key, etag) in await _index.AddAsync(missing, ct)) rowVersions[key] = added[key] = etag;
            foreach (var key in added.Keys.Except(before)) rowVersions.TryAdd(key, added[key]);
            var versions = Encode(rowVersions.Where(kv => after.Contains(kv.Key)));
            entity[IndexVersionsColumn] = Serialize(versions);
            try
            {
                var legacy = LegacyETag(current);
                var response = legacy is null
                    ? await account.Tasks.UpdateEntityAsync(entity, new ETag(current.Version!), TableUpdateMode.Replace, ct)
                    : await account.Tasks.AddEntityAsync(entity, ct);
                if (legacy is { } etag) await DeleteLegacyAsync(current.Id, etag, ct);
                await _index.RemoveStaleAsync(before.Union(added.Keys).Except(after), rowVersions, WrittenAt(response.Headers.ETag), ct);
                var written = fitted with { Version = response.Headers.ETag?.ToString(), IndexVersions = versions };
                Remember(written);
                Changed?.Invoke(written);
                return written;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409 && attempt < 20)
            {
                // Someone else changed it (or moved its legacy row) between our read and write: decide again on the fresh value.
            }
        }
    }

    /// <summary>The last version this instance wrote of each task still in flight (not ended, or its report not
    /// done), for <see cref="UpdateAsync"/>: bounded by the work in flight, cleared whole if it ever exceeds
    /// <see cref="MaxRemembered"/> (the values are hints; the ETag check keeps every write correct).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ReviewTask> _written = new(StringComparer.Ordinal);

    private const int MaxRemembered = 20_000;

    private void Remember(ReviewTask written)
    {
        if (written.State.IsTerminal() && written.Reporting.Done) _written.TryRemove(written.Id, out _);
        else
        {
            if (_written.Count >= MaxRemembered) _written.Clear();
            _written[written.Id] = written;
        }
    }

    public async Task SaveResultAsync(string id, TaskResultDocument result, CancellationToken ct)
    {
        var blob = account.Results.GetBlobClient(id + ".json");
        await blob.UploadAsync(BinaryData.FromObjectAsJson(result, Json), overwrite: true, ct);
    }

    public async Task<TaskResultDocument?> GetResultAsync(string id, CancellationToken ct)
    {
        if (!IsValidId(id)) return null;
        try
        {
            var content = await account.Results.GetBlobClient(id + ".json").DownloadContentAsync(ct);
            return content.Value.Content.ToObjectFromJson<TaskResultDocument>(Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public static bool IsValidId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>The task and when its row was last written (null, null when there is none).</summary>
    private async Task<(ReviewTask? Task, DateTimeOffset? WrittenAt)> ReadAsync(string id, CancellationToken ct)
    {
        if (!IsValidId(id)) return (null, null);
        var row = await RowAsync(id, id, ct);
        // A writer may move a legacy row between the second read and the third.
        if (row is null && _legacyRowsMayExist) row = await RowAsync(id, LegacyRowKey, ct) ?? await RowAsync(id, id, ct);
        return row is null ? (null, null) : (FromEntity(row), row.Timestamp);
    }

    private async Task<TableEntity?> RowAsync(string id, string rowKey, CancellationToken ct)
    {
        var row = await account.Tasks.GetEntityIfExistsAsync<TableEntity>(id, rowKey, cancellationToken: ct);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Told by <see cref="TaskIndexBackfill"/> once no legacy row is left: reads and creates stop looking for them.</summary>
    internal void NoteLegacyRowsGone() => _legacyRowsMayExist = false;

    /// <summary>The ETag of the legacy row <paramref name="task"/> was read from; null if it was read from its own row.</summary>
    private static string? LegacyETag(ReviewTask task) =>
        task.Version is { } v && v.StartsWith(LegacyVersion, StringComparison.Ordinal) ? v[LegacyVersion.Length..] : null;

    /// <summary>Removes a legacy row once its task has a row at its id (the row is never changed, so the ETag only guards
    /// against deleting one that an older instance wrote again).</summary>
    internal async Task DeleteLegacyAsync(string id, string etag, CancellationToken ct)
    {
        try { await account.Tasks.DeleteEntityAsync(id, LegacyRowKey, new ETag(etag), ct); }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { }
    }

    /// <summary>The server's time of a write, from the ETag it answered (<c>W/"datetime'2026-01-02T03%3A04%3A05.1234567Z'"</c>);
    /// null if it has another shape, and the rows the write made stale are then left to the readers' repair.</summary>
    internal static DateTimeOffset? WrittenAt(ETag? etag)
    {
        var text = etag?.ToString() ?? "";
        var start = text.IndexOf("datetime'", StringComparison.Ordinal);
        if (start < 0) return null;
        start += "datetime'".Length;
        var end = text.IndexOf('\'', start);
        if (end < 0) return null;
        return DateTimeOffset.TryParse(Uri.UnescapeDataString(text[start..end]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at : null;
    }

    internal static (TableEntity Entity, ReviewTask Task) ToEntity(ReviewTask task)
    {
        var (t, json) = TaskRowFit.Fit(task);
        return (new TableEntity(t.Id, t.Id)
        {
            ["State"] = t.State.ToString(),
            ["Repository"] = t.Repository,
            ["RepositoryKey"] = t.Repository.ToLowerInvariant(),
            ["NodeId"] = t.NodeId,
            ["CreatedAt"] = t.CreatedAt,
            ["ReportPending"] = !t.Reporting.Done,
            ["JobName"] = t.JobName,
            ["Data"] = json,
        }, t);
    }

    internal static ReviewTask FromEntity(TableEntity e) =>
        JsonSerializer.Deserialize<ReviewTask>(e.GetString("Data"), Json)! with
        {
            Version = (e.RowKey == LegacyRowKey ? LegacyVersion : "") + e.ETag,
            IndexVersions = e.GetString(IndexVersionsColumn) is { Length: > 0 } versions
                ? JsonSerializer.Deserialize<Dictionary<string, string>>(versions, Json) : null,
        };

    /// <summary>The column holding the ETags of the task's index rows as written with this version
    /// (<see cref="ReviewTask.IndexVersions"/>): JSON, <c>{"partition\nrow": etag}</c>.</summary>
    private const string IndexVersionsColumn = "IndexVersions";

    private static string? Serialize(IReadOnlyDictionary<string, string> versions) =>
        versions.Count == 0 ? null : JsonSerializer.Serialize(versions, Json);

    private static Dictionary<string, string> Encode(IEnumerable<KeyValuePair<TaskIndexKey, string>> versions) =>
        versions.ToDictionary(kv => kv.Key.PartitionKey + "\n" + kv.Key.RowKey, kv => kv.Value, StringComparer.Ordinal);

    private static Dictionary<TaskIndexKey, string> Decode(IReadOnlyDictionary<string, string>? versions)
    {
        var keys = new Dictionary<TaskIndexKey, string>();
        foreach (var (key, etag) in versions ?? new Dictionary<string, string>())
            if (key.Split('\n', 2) is [var partition, var row]) keys[new TaskIndexKey(partition, row)] = etag;
        return keys;
    }
}
