using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks;

public sealed class TaskIndexKeysTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    internal static ReviewTask Task(string id, string repo = "Octo/Repo", int? pr = 7, DateTimeOffset? at = null) => new()
    {
        Id = id,
        Repository = repo,
        CloneUrl = "https://github.com/octo/repo.git",
        PullRequest = pr,
        HeadSha = "ABC123",
        Linter = new LinterSpec("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
        CreatedAt = at ?? At,
        Reporting = new ReportProgress(),
    };

    private static List<string> Partitions(ReviewTask t) => [.. TaskIndexKeys.For(t).Select(k => k.PartitionKey).Order(StringComparer.Ordinal)];

    private static List<string> Sorted(params string[] partitions) => [.. partitions.Order(StringComparer.Ordinal)];

    [Fact]
    public void QueuedPullRequestTask_IsInTheListsItsChangeAndCommitAndThePendingReports()
    {
        Assert.Equal(Sorted(
            "all", "repo|octo%2Frepo", "state|Queued", "commit|github|octo%2Frepo|abc123", "active-change|github|octo%2Frepo|7", "report-pending"),
            Partitions(Task("t1")));
    }

    [Fact]
    public void TheActiveTable_HoldsExactlyThePartitionsAnEndedAndReportedTaskLeaves()
    {
        var states = Enum.GetValues<TaskState>();
        var running = states.Select(s => Task("t1") with { State = s, NodeId = "n1", JobName = "nightly" }).ToList();
        var everyPartition = running.SelectMany(Partitions).Distinct().ToList();
        var ended = running.Where(t => t.State.IsTerminal()).Select(t => t with { Reporting = new ReportProgress { Done = true }, CompletedAt = At })
            .SelectMany(Partitions).ToHashSet();

        Assert.All(everyPartition.Where(p => !p.StartsWith("job-ended", StringComparison.Ordinal)),
            p => Assert.Equal(!ended.Contains(p), TaskIndexKeys.IsActive(p)));
        Assert.False(TaskIndexKeys.IsActive(TaskIndexKeys.EndedJobRuns));
    }

    [Fact]
    public void EndedTask_LeavesEveryActivePartition_AndTheStateListFollowsItsState()
    {
        var ended = Task("t1") with { State = TaskState.Succeeded, NodeId = "n1", Reporting = new ReportProgress { Done = true } };

        Assert.Equal(Sorted("all", "repo|octo%2Frepo", "state|Succeeded", "commit|github|octo%2Frepo|abc123", "node|n1"), Partitions(ended));
    }

    [Fact]
    public void RunningTaskOfAJob_IsInItsNodesAndJobsActivePartitions()
    {
        var running = Task("t1", pr: null) with { State = TaskState.Running, NodeId = "n1", JobName = "nightly" };

        Assert.Superset(new HashSet<string> { "node|n1", "active-node|n1", "job|nightly", "active-job|nightly" }, Partitions(running).ToHashSet());
        Assert.DoesNotContain(Partitions(running), p => p.StartsWith("active-change|", StringComparison.Ordinal));
    }

    [Fact]
    public void FailedJobRun_IsOrderedByItsCompletionInTheEndedRuns()
    {
        var failed = Task("t1", pr: null) with { State = TaskState.Failed, JobName = "nightly", CompletedAt = At.AddHours(3) };

        var key = Assert.Single(TaskIndexKeys.For(failed), k => k.PartitionKey == TaskIndexKeys.EndedJobRuns);
        Assert.Equal(TaskIndexKeys.RowKey(At.AddHours(3), "t1"), key.RowKey);
        Assert.True(string.CompareOrdinal(key.RowKey, TaskIndexKeys.RowKeyBound(At.AddHours(2))) < 0, "a run ended after the bound is read");
        Assert.True(string.CompareOrdinal(key.RowKey, TaskIndexKeys.RowKeyBound(At.AddHours(4))) > 0, "a run ended before the bound is not");
    }

    [Fact]
    public void RowKeys_SortNewestFirst_AndPointToTheirTask()
    {
        var older = TaskIndexKeys.RowKey(At, "zzz");
        var newer = TaskIndexKeys.RowKey(At.AddTicks(1), "aaa");

        Assert.True(string.CompareOrdinal(newer, older) < 0);
        Assert.Equal("zzz", TaskIndexKeys.TaskIdOf(older));
        Assert.True(TaskIndexKeys.IsRowKey(older));
        Assert.False(TaskIndexKeys.IsRowKey("12|abc"));
    }

    [Fact]
    public void RepositoryNamesDifferingInCase_ShareAPartition_AndKeyCharactersAreEscaped()
    {
        Assert.Equal(TaskIndexKeys.Repository("Octo/Repo"), TaskIndexKeys.Repository("octo/repo"));
        Assert.Equal("job|a%7Cb%23c", TaskIndexKeys.Job("a|b#c"));
        Assert.NotEqual(TaskIndexKeys.ActiveOfChange("github", "a|b", 1), TaskIndexKeys.ActiveOfChange("github|a", "b", 1));
    }

    [Fact]
    public void ACursor_ContinuesOnlyTheListItCameFrom()
    {
        var rowKey = TaskIndexKeys.RowKey(At, "t1");
        var cursor = TaskCursor.Of(TaskIndexKeys.State(TaskState.Queued), rowKey);

        Assert.True(TaskCursor.TryRead(cursor, TaskIndexKeys.State(TaskState.Queued), out var after));
        Assert.Equal(rowKey, after);
        Assert.False(TaskCursor.TryRead(cursor, TaskIndexKeys.All, out _));
        Assert.False(TaskCursor.TryRead("not a cursor!", TaskIndexKeys.All, out _));
        Assert.False(TaskCursor.TryRead(TaskCursor.Of(TaskIndexKeys.All, "x|../../etc"), TaskIndexKeys.All, out _));
    }

    [Fact]
    public void CombinedFilters_ReadTheMostSelectivePartition()
    {
        Assert.Equal(TaskIndexKeys.Node("n1"), new TaskListQuery(TaskState.Running, "octo/repo", "n1").Partition);
        Assert.Equal(TaskIndexKeys.Repository("octo/repo"), new TaskListQuery(TaskState.Running, "octo/repo").Partition);
        Assert.Equal(TaskIndexKeys.All, new TaskListQuery().Partition);
    }
}
