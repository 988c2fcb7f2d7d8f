using System.Globalization;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Tasks;

/// <summary>One row of the task index: its partition is a question, its row key orders the answers.</summary>
public readonly record struct TaskIndexKey(string PartitionKey, string RowKey);

/// <summary>
/// The index rows of a task, as a pure function of the task (<see cref="For"/>): the store writes exactly these and a
/// reader keeps an index row only if the task it points to still yields it. One partition per question the product
/// asks; row keys are <c>{inverted ticks:D19}|{task id}</c>, so a partition reads newest first (by creation; the
/// ended job runs by completion). Key parts that come from users are escaped (<see cref="TableKeys"/>, and '|').
/// </summary>
public static class TaskIndexKeys
{
    /// <summary>Every task (the dashboard's unfiltered list).</summary>
    public const string All = "all";

    /// <summary>Tasks whose report is still to be published (the report queue's start-up).</summary>
    public const string ReportPending = "report-pending";

    /// <summary>Failed, errored and timed-out runs of jobs, newest completion first (the job retries' start-up).</summary>
    public const string EndedJobRuns = "job-ended";

    /// <summary>Every task of a repository, on any host (the API's <c>?repo=</c>; case-insensitive, as repositories are).</summary>
    public static string Repository(string repository) => "repo|" + Part(repository.ToLowerInvariant());

    /// <summary>Every task that a node was given (the API's <c>?node=</c>).</summary>
    public static string Node(string nodeId) => "node|" + Part(nodeId);

    /// <summary>Every run of a job.</summary>
    public static string Job(string jobName) => "job|" + Part(jobName);

    /// <summary>Every task in a state (the API's <c>?state=</c>; the queue's scan and the dispatcher's start-up read the
    /// queued, assigned and running ones).</summary>
    public static string State(TaskState state) => "state|" + state;

    /// <summary>Tasks not ended (waiting, queued, assigned, running) of one pull or merge request: supersede and approval.</summary>
    public static string ActiveOfChange(string host, string repository, int number) =>
        $"active-change|{Part(host)}|{Part(repository.ToLowerInvariant())}|{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Tasks a node holds (assigned, running): reconciliation and revocation.</summary>
    public static string ActiveOfNode(string nodeId) => "active-node|" + Part(nodeId);

    /// <summary>Runs of a job not ended: its concurrency policy.</summary>
    public static string ActiveOfJob(string jobName) => "active-job|" + Part(jobName);

    /// <summary>Tasks of one commit of a repository on a host: re-runs requested from the host's checks page.</summary>
    public static string Commit(string host, string repository, string sha) =>
        $"commit|{Part(host)}|{Part(repository.ToLowerInvariant())}|{Part(sha.ToLowerInvariant())}";

    /// <summary>Whether a partition holds only tasks that are active (not ended, or with a report to publish): such rows
    /// are removed when the task ends, so the partition's size is bounded by the work in flight, not by history. These
    /// partitions live in their own table (<see cref="TaskIndex"/>), so what reads them never pays for the history.</summary>
    public static bool IsActive(string partition) =>
        partition.StartsWith("active-", StringComparison.Ordinal) || partition == ReportPending
        || (partition.StartsWith("state|", StringComparison.Ordinal)
            && Enum.TryParse<TaskState>(partition["state|".Length..], out var state) && !state.IsTerminal());

    /// <summary><c>{ticks to the end of time:D19}|{id}</c>: ascending row keys are newest first.</summary>
    public static string RowKey(DateTimeOffset at, string id) => Inverted(at) + "|" + id;

    /// <summary>The row keys of a partition before this one are the entries at or after <paramref name="at"/>.</summary>
    public static string RowKeyBound(DateTimeOffset at) => Inverted(at) + "|~";

    /// <summary>The task id a row key points to.</summary>
    public static string TaskIdOf(string rowKey) => rowKey[(rowKey.IndexOf('|') + 1)..];

    /// <summary>Whether <paramref name="rowKey"/> has the shape this index writes (a cursor's part is checked with it).</summary>
    public static bool IsRowKey(string rowKey) =>
        rowKey.Length > 20 && rowKey[19] == '|' && rowKey.AsSpan(0, 19).ContainsAnyExceptInRange('0', '9') is false
        && TaskStore.IsValidId(rowKey[20..]);

    /// <summary>The index rows of <paramref name="t"/> as stored.</summary>
    public static IReadOnlySet<TaskIndexKey> For(ReviewTask t)
    {
        var created = RowKey(t.CreatedAt, t.Id);
        var keys = new HashSet<TaskIndexKey>
        {
            new(All, created),
            new(Repository(t.Repository), created),
            new(State(t.State), created),
            new(Commit(t.Host, t.Repository, t.HeadSha), created),
        };
        if (t.NodeId is { Length: > 0 } node)
        {
            keys.Add(new(Node(node), created));
            if (t.State is TaskState.Assigned or TaskState.Running) keys.Add(new(ActiveOfNode(node), created));
        }
        if (t.JobName is { Length: > 0 } job)
        {
            keys.Add(new(Job(job), created));
            if (!t.State.IsTerminal()) keys.Add(new(ActiveOfJob(job), created));
            if (t.State is TaskState.Failed or TaskState.Errored or TaskState.TimedOut && t.CompletedAt is { } completed)
                keys.Add(new(EndedJobRuns, RowKey(completed, t.Id)));
        }
        if (t.PullRequest is { } number && !t.State.IsTerminal()) keys.Add(new(ActiveOfChange(t.Host, t.Repository, number), created));
        if (!t.Reporting.Done) keys.Add(new(ReportPending, created));
        return keys;
    }

    private static string Part(string value) => TableKeys.Escape(value).Replace("|", "%7C", StringComparison.Ordinal);

    private static string Inverted(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
