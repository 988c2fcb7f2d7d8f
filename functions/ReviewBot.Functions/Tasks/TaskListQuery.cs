using System.Buffers.Text;
using System.Text;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// A page of a task list (the API, the dashboard, a job's runs), read from one index partition newest first.
/// A single filter reads its own partition: every entry read is a task of the page. Filters combined read the partition
/// of the most selective one (node, then job, then repository, then state) and keep the tasks that match the others:
/// such a page may hold fewer tasks than asked (each request reads at most <see cref="ScanBudget"/> entries), and its
/// cursor continues where it stopped.
/// </summary>
public sealed record TaskListQuery(TaskState? State = null, string? Repository = null, string? NodeId = null, string? JobName = null)
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    /// <summary>Index entries one request may read when filters are combined.</summary>
    public const int ScanBudget = 1000;

    /// <summary>The index partition the list reads.</summary>
    public string Partition =>
        NodeId is { } n ? TaskIndexKeys.Node(n)
        : JobName is { } j ? TaskIndexKeys.Job(j)
        : Repository is { } r ? TaskIndexKeys.Repository(r)
        : State is { } s ? TaskIndexKeys.State(s)
        : TaskIndexKeys.All;

    /// <summary>Whether the query combines filters, so the partition's entries are filtered.</summary>
    public bool Filters => new object?[] { State, Repository, NodeId, JobName }.Count(x => x is not null) > 1;

    public bool Matches(ReviewTask t) =>
        (State is null || t.State == State)
        && (Repository is null || string.Equals(t.Repository, Repository, StringComparison.OrdinalIgnoreCase))
        && (NodeId is null || t.NodeId == NodeId)
        && (JobName is null || t.JobName == JobName);
}

/// <summary>Tasks newest first, and the cursor of the next page (null on the last).</summary>
public sealed record TaskPage(IReadOnlyList<ReviewTask> Tasks, string? Next);

/// <summary>
/// The opaque continuation of a list: the partition it reads and the last row key it returned, base64url-encoded.
/// A cursor only continues the list it came from (<see cref="TryRead"/> refuses one for another partition).
/// </summary>
public static class TaskCursor
{
    public static string Of(string partition, string lastRowKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(partition + "\n" + lastRowKey));

    /// <summary>The row key to continue after, or false when <paramref name="cursor"/> is malformed or belongs to
    /// another list.</summary>
    public static bool TryRead(string cursor, string partition, out string after)
    {
        after = "";
        if (cursor.Length > 2048 || !Base64Url.IsValid(cursor)) return false;
        string text;
        try { text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)); }
        catch (FormatException) { return false; }
        var newline = text.IndexOf('\n');
        if (newline < 0 || text[..newline] != partition || !TaskIndexKeys.IsRowKey(text[(newline + 1)..])) return false;
        after = text[(newline + 1)..];
        return true;
    }
}
