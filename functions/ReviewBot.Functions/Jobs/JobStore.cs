using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// Jobs changed through the API. Key scheme: PartitionKey = job name escaped by <see cref="TableKeys.Escape"/>, RowKey =
/// "definition" (what the API set: a whole definition, or only enabled/deleted for a job of the file) or "runs" (the
/// execution counter and the last run). Two rows, so that counting a run never changes the ETag a client holds for the
/// definition. Every write of a definition row is ETag-checked (insert-only when there is none); the counter is a
/// read-increment-write retried on 412. <see cref="ListAsync"/> and <see cref="ListRunsAsync"/> read one row of every
/// partition: there is one partition per job name set through the API, so they are bounded by the jobs a deployment
/// defines, not by history (runs are counted in place; a run's tasks live in the task table).
/// </summary>
public sealed class JobStore(StorageAccount account, TimeProvider time)
{
    private const string DefinitionRow = "definition";
    private const string RunsRow = "runs";

    public async Task<StoredJob?> GetAsync(string name, CancellationToken ct)
    {
        var row = await account.Jobs.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(name), DefinitionRow, cancellationToken: ct);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    public async Task<IReadOnlyList<StoredJob>> ListAsync(CancellationToken ct)
    {
        var list = new List<StoredJob>();
        await foreach (var e in account.Jobs.QueryAsync<TableEntity>(x => x.RowKey == DefinitionRow, cancellationToken: ct))
            list.Add(FromEntity(e));
        return list;
    }

    /// <summary>Writes <paramref name="job"/>: inserted when <paramref name="ifMatch"/> is null, else replaced only if the
    /// row still has that ETag. Null when someone else wrote first (409 or 412).</summary>
    public async Task<StoredJob?> TrySaveAsync(StoredJob job, ETag? ifMatch, CancellationToken ct)
    {
        var entity = ToEntity(job with { UpdatedAt = time.GetUtcNow() });
        try
        {
            var response = ifMatch is { } etag
                ? await account.Jobs.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct)
                : await account.Jobs.AddEntityAsync(entity, ct);
            return FromEntity(entity) with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    public async Task<JobRuns> GetRunsAsync(string name, CancellationToken ct)
    {
        var row = await account.Jobs.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(name), RunsRow, cancellationToken: ct);
        return row.HasValue ? RunsOf(row.Value!) : new JobRuns(name, 0, null, null);
    }

    public async Task<IReadOnlyDictionary<string, JobRuns>> ListRunsAsync(CancellationToken ct)
    {
        var runs = new Dictionary<string, JobRuns>(StringComparer.Ordinal);
        await foreach (var e in account.Jobs.QueryAsync<TableEntity>(x => x.RowKey == RunsRow, cancellationToken: ct))
            runs[TableKeys.Unescape(e.PartitionKey)] = RunsOf(e);
        return runs;
    }

    /// <summary>Counts one run (a task created for the job) and remembers it as the last. Callers call this once per
    /// created task (the creator of a task is unique: ids are deterministic and inserts conflict).</summary>
    public async Task RecordRunAsync(string name, string taskId, DateTimeOffset at, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await account.Jobs.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(name), RunsRow, cancellationToken: ct);
            var entity = new TableEntity(TableKeys.Escape(name), RunsRow)
            {
                ["Count"] = (row.HasValue ? row.Value!.GetInt64("Count") ?? 0 : 0) + 1,
                ["LastTaskId"] = taskId,
                ["LastRunAt"] = at,
            };
            try
            {
                if (row.HasValue) await account.Jobs.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, ct);
                else await account.Jobs.AddEntityAsync(entity, ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // Another run was counted between our read and write: count again on the fresh value.
            }
        }
    }

    private static JobRuns RunsOf(TableEntity e) =>
        new(TableKeys.Unescape(e.PartitionKey), e.GetInt64("Count") ?? 0, e.GetString("LastTaskId"), e.GetDateTimeOffset("LastRunAt"));

    private static TableEntity ToEntity(StoredJob j) => new(TableKeys.Escape(j.Name), DefinitionRow)
    {
        ["Definition"] = j.Definition is null ? null : JsonSerializer.Serialize(j.Definition, StorageJson.Options),
        ["Enabled"] = j.Enabled,
        ["Deleted"] = j.Deleted,
        ["DeletedAt"] = j.DeletedAt,
        ["UpdatedAt"] = j.UpdatedAt,
    };

    private static StoredJob FromEntity(TableEntity e) => new(
        TableKeys.Unescape(e.PartitionKey),
        e.GetString("Definition") is { } json ? JsonSerializer.Deserialize<JobDefinition>(json, StorageJson.Options) : null,
        e.GetBoolean("Enabled"),
        e.GetBoolean("Deleted") ?? false,
        e.GetDateTimeOffset("DeletedAt"),
        e.GetDateTimeOffset("UpdatedAt") ?? default)
    { ETag = e.ETag };
}

/// <summary>What the API set for one job name.</summary>
/// <param name="Definition">A definition made through the API (it overrides the file's job of the same name); null when
/// the row only carries <paramref name="Enabled"/> or <paramref name="Deleted"/> for a job of the file.</param>
/// <param name="Enabled">Enabled or disabled through the API; null = as defined.</param>
/// <param name="Deleted">Soft-deleted: the name is hidden (the file's job of that name too) until created again.</param>
public sealed record StoredJob(string Name, JobDefinition? Definition, bool? Enabled, bool Deleted, DateTimeOffset? DeletedAt, DateTimeOffset UpdatedAt)
{
    public ETag ETag { get; init; }
}

/// <summary>A job's execution counter (tasks created for it, retries and reruns included) and its last run.</summary>
public sealed record JobRuns(string Name, long Count, string? LastTaskId, DateTimeOffset? LastRunAt);
