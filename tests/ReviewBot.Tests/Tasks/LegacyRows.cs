using System.Text.Json;
using Azure.Data.Tables;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks;

/// <summary>Task rows as an older version could store them: with no cap on any field, so a row can sit a few characters
/// under Table Storage's property limit (security review D2, "head.ref of 31,669 characters"), and any change that
/// adds to it could not be written.</summary>
public static class LegacyRows
{
    /// <summary>The JSON of the row, as the older version wrote it (no fitting).</summary>
    public const int RowChars = 32_700;

    public static ReviewTask Task(string id, DateTimeOffset queuedAt, string nodeLabels = "") => new()
    {
        Id = id,
        Repository = "octo/poison",
        CloneUrl = "https://github.com/octo/poison.git",
        PullRequest = 7,
        HeadSha = new string('a', 40),
        Linter = new LinterSpec("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
        NodeLabels = nodeLabels,
        CreatedAt = queuedAt,
        QueuedAt = queuedAt,
        History = [new TaskEvent(queuedAt, TaskState.Queued, "created by an older version")],
    };

    /// <summary>Inserts <paramref name="task"/> with its head ref padded so that the row's JSON is <see cref="RowChars"/> long,
    /// at its id, where the back-fill moves the rows of older versions.</summary>
    public static async Task<ReviewTask> InsertAsync(TableClient table, ReviewTask task)
    {
        var bare = JsonSerializer.Serialize(task with { HeadRef = "" }, StorageJson.Options).Length;
        var padded = task with { HeadRef = "feature/" + new string('x', RowChars - bare - "feature/".Length) };
        var json = JsonSerializer.Serialize(padded, StorageJson.Options);
        if (json.Length != RowChars) throw new InvalidOperationException($"legacy row is {json.Length} characters, not {RowChars}");
        await table.AddEntityAsync(Row(task, task.Id, json));
        return padded;
    }

    /// <summary>Inserts <paramref name="task"/> as a version before the task index wrote it: its row at RowKey "", no index rows.</summary>
    public static async Task InsertUnindexedAsync(TableClient table, ReviewTask task) =>
        await table.AddEntityAsync(Row(task, TaskStore.LegacyRowKey, JsonSerializer.Serialize(task, StorageJson.Options)));

    private static TableEntity Row(ReviewTask task, string rowKey, string json) => new(task.Id, rowKey)
    {
        ["State"] = task.State.ToString(),
        ["Repository"] = task.Repository,
        ["RepositoryKey"] = task.Repository.ToLowerInvariant(),
        ["NodeId"] = task.NodeId,
        ["CreatedAt"] = task.CreatedAt,
        ["ReportPending"] = !task.Reporting.Done,
        ["JobName"] = task.JobName,
        ["Data"] = json,
    };
}
