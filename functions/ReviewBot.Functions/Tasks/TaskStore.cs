using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// Tasks. Key scheme: PartitionKey = task id (already key-safe: lower-case hex), RowKey = "".
/// One partition per task keeps point reads and ETag-checked writes independent of each other.
/// Columns: State, Repository, NodeId, CreatedAt, ReportPending, JobName (for filters) and Data (the whole task as JSON).
/// Results (findings, unexpected lines, changed files) live in the blob results/{id}.json.
/// Data is one property, at most 32,768 characters: every write goes through <see cref="TaskRowFit"/>, so a change never
/// fails for its size (values as written, cut where needed, are what callers get back).
/// </summary>
public sealed partial class TaskStore(StorageAccount account) : ITaskStore
{
    /// <summary>Raised after every task this instance created or changed, with the value as written
    /// (live updates, tests awaiting a state).</summary>
    public event Action<ReviewTask>? Changed;

    internal static JsonSerializerOptions Json => StorageJson.Options;

    /// <summary>Inserts the task and returns it with its ETag; null when a task with this id exists (redelivery, second instance).</summary>
    public async Task<ReviewTask?> TryCreateAsync(ReviewTask task, CancellationToken ct)
    {
        try
        {
            var (entity, fitted) = ToEntity(task);
            var response = await account.Tasks.AddEntityAsync(entity, ct);
            var created = fitted with { Version = response.Headers.ETag?.ToString() };
            Changed?.Invoke(created);
            return created;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    public async Task<ReviewTask?> GetAsync(string id, CancellationToken ct)
    {
        if (!IsValidId(id)) return null;
        var row = await account.Tasks.GetEntityIfExistsAsync<TableEntity>(id, "", cancellationToken: ct);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>
    /// Read-modify-write with optimistic concurrency: <paramref name="change"/> gets the current task and
    /// returns the new one, or null to leave it as it is. Retried on a concurrent change (412).
    /// Returns the task as written, or null when the task does not exist or <paramref name="change"/> declined.
    /// </summary>
    /// <param name="known">The task as last seen (with its ETag), to save the first read; a stale one costs one retry.</param>
    public async Task<ReviewTask?> UpdateAsync(string id, Func<ReviewTask, ReviewTask?> change, CancellationToken ct, ReviewTask? known = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = attempt == 0 && known is { Id: var k } && k == id && known.Version is not null ? known : await GetAsync(id, ct);
            if (current is null) return null;
            var next = change(current);
            if (next is null) return null;
            try
            {
                var (entity, fitted) = ToEntity(next);
                var response = await account.Tasks.UpdateEntityAsync(entity, new ETag(current.Version!), TableUpdateMode.Replace, ct);
                var written = fitted with { Version = response.Headers.ETag?.ToString() };
                Changed?.Invoke(written);
                return written;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 20)
            {
                // Someone else changed it between our read and write: decide again on the fresh value.
            }
        }
    }

    public async Task<IReadOnlyList<ReviewTask>> ListAsync(TaskQuery query, CancellationToken ct)
    {
        var filters = new List<string>();
        if (query.State is { } s) filters.Add(TableClient.CreateQueryFilter($"State eq {s.ToString()}"));
        if (query.Repository is { } r) filters.Add(TableClient.CreateQueryFilter($"RepositoryKey eq {r.ToLowerInvariant()}"));
        if (query.NodeId is { } n) filters.Add(TableClient.CreateQueryFilter($"NodeId eq {n}"));
        if (query.JobName is { } job) filters.Add(TableClient.CreateQueryFilter($"JobName eq {job}"));
        if (query.ReportPending is { } pending) filters.Add(TableClient.CreateQueryFilter($"ReportPending eq {pending}"));
        if (query.States is { Count: > 0 } many)
            filters.Add("(" + string.Join(" or ", many.Select(x => TableClient.CreateQueryFilter($"State eq {x.ToString()}"))) + ")");
        var filter = filters.Count == 0 ? null : string.Join(" and ", filters);
        var list = new List<ReviewTask>();
        await foreach (var e in account.Tasks.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            list.Add(FromEntity(e));
        return [.. list.OrderByDescending(t => t.CreatedAt).Take(query.Top)];
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

    private static (TableEntity Entity, ReviewTask Task) ToEntity(ReviewTask task)
    {
        var (t, json) = TaskRowFit.Fit(task);
        return (new TableEntity(t.Id, "")
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

    private static ReviewTask FromEntity(TableEntity e) =>
        JsonSerializer.Deserialize<ReviewTask>(e.GetString("Data"), Json)! with { Version = e.ETag.ToString() };
}

public sealed record TaskQuery(
    TaskState? State = null,
    string? Repository = null,
    string? NodeId = null,
    IReadOnlyList<TaskState>? States = null,
    int Top = 200,
    bool? ReportPending = null,
    string? JobName = null);
