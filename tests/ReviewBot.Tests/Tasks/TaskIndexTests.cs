using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Tasks.Fakes;

namespace ReviewBot.Tests.Tasks;

/// <summary>Every list reads its own index partition, a page at a time, and stays exact when a writer crashes or loses a
/// race: counted with the storage meter of the test's own account.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TaskIndexTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Entries a list may read beyond the tasks it returns (the one that tells whether a page follows).</summary>
    private const int Slack = 2;

    private static ReviewTask NewTask(int i, string repo = "octo/repo", int? pr = null, TaskState state = TaskState.Queued) =>
        TaskIndexKeysTests.Task($"t{i:D5}", repo, pr, Start.AddSeconds(i)) with { State = state };

    private static long Count(StorageAccount account, string resource, string operation, bool entities) =>
        (entities ? account.Metering.EntitiesRead : account.Metering.Transactions).GetValueOrDefault((resource, operation));

    private static long IndexEntitiesRead(StorageAccount account) =>
        Count(account, "taskindex", "query", true) + Count(account, "taskactive", "query", true);

    private static async Task<(long IndexEntities, long PointReads, T Result)> MeteredAsync<T>(StorageAccount account, Func<Task<T>> read)
    {
        var (entities, points) = (IndexEntitiesRead(account), Count(account, "tasks", "point-read", false));
        var result = await read().WaitAsync(Timeouts.Long);
        return (IndexEntitiesRead(account) - entities, Count(account, "tasks", "point-read", false) - points, result);
    }

    /// <summary>Writes an index row as the store would, in the table of its partition.</summary>
    private static Task UpsertEntryAsync(StorageAccount account, TaskIndexKey k) =>
        (TaskIndexKeys.IsActive(k.PartitionKey) ? account.TaskActive : account.TaskIndex).UpsertEntityAsync(new TableEntity(k.PartitionKey, k.RowKey));

    [Fact]
    public async Task APageOfARepository_ReadsItsOwnEntriesOnly_AndPointReadsTheTasksItReturns()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        await store.ImportAsync([.. Enumerable.Range(0, 300).Select(i => NewTask(i, i % 2 == 0 ? "octo/mine" : "octo/other"))], default);

        var (entities, points, page) = await MeteredAsync(account, () => store.PageAsync(new TaskListQuery(Repository: "octo/mine"), null, 50, default));

        Assert.Equal(50, page.Tasks.Count);
        Assert.All(page.Tasks, t => Assert.Equal("octo/mine", t.Repository));
        Assert.InRange(entities, 50, 50 + Slack);
        Assert.Equal(50, points);
        Assert.NotNull(page.Next);
    }

    [Fact]
    public async Task EachList_IsNewestFirst_AndItsPagesAreDisjointAndComplete()
    {
        var store = new TaskStore(await Stores.AccountAsync(azurite));
        var tasks = Enumerable.Range(0, 130).Select(i => NewTask(i, state: i % 3 == 0 ? TaskState.Succeeded : TaskState.Queued)).ToList();
        await store.ImportAsync(tasks, default);

        foreach (var query in new[] { new TaskListQuery(), new TaskListQuery(TaskState.Succeeded), new TaskListQuery(Repository: "OCTO/REPO") })
        {
            var expected = tasks.Where(query.Matches).OrderByDescending(t => t.CreatedAt).Select(t => t.Id).ToList();
            var pages = new List<IReadOnlyList<string>>();
            string? cursor = null;
            do
            {
                var page = await store.PageAsync(query, cursor, 20, default).WaitAsync(Timeouts.Long);
                pages.Add([.. page.Tasks.Select(t => t.Id)]);
                cursor = page.Next;
            } while (cursor is not null);

            Assert.Equal(expected, pages.SelectMany(p => p));
            Assert.All(pages.SkipLast(1), p => Assert.Equal(20, p.Count));
        }
    }

    [Fact]
    public async Task SupersedeOfAPullRequest_ReadsOnlyItsActiveTasks_WithAThousandOthersStored()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        // Other pull requests of the same repository, other repositories, and this pull request's ended tasks.
        await store.ImportAsync([.. Enumerable.Range(0, 1000).Select(i =>
            NewTask(i, i % 3 == 0 ? "octo/repo" : $"octo/r{i % 50}", pr: i % 3 == 0 ? i % 40 + 8 : i % 9,
                state: i % 2 == 0 ? TaskState.Succeeded : TaskState.Queued))], default);
        await store.ImportAsync([.. Enumerable.Range(5000, 20).Select(i => NewTask(i, pr: 7, state: TaskState.Succeeded))], default);
        var active = Enumerable.Range(6000, 3).Select(i => NewTask(i, pr: 7)).ToList();
        await store.ImportAsync(active, default);
        var time = new FakeTimeProvider(Start);
        var lifecycle = new TaskLifecycle(store, new AgentRegistry(Options.Create(new AgentsOptions()), time), new RecordingChannel(), new TaskQueue(),
            Options.Create(new RoutingOptions()), time, NullLogger<TaskLifecycle>.Instance);

        var (entities, _, cancelled) = await MeteredAsync(account, () => lifecycle.SupersedeAsync("Octo/Repo", 7, "def456", null, default));

        Assert.Equal(3, cancelled);
        Assert.Equal(3, entities);
        foreach (var t in active) Assert.Equal(TaskState.Cancelled, (await store.GetAsync(t.Id, default))!.State);
        Assert.Empty(await store.ActiveOfChangeAsync("github", "octo/repo", 7, default));
    }

    [Fact]
    public async Task Transitions_LeaveExactlyTheTasksCurrentEntries()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        await store.TryCreateAsync(NewTask(1, pr: 7), default);

        await store.UpdateAsync("t00001", t => t with { State = TaskState.Running, NodeId = "n1" }, default);
        var ended = await store.UpdateAsync("t00001", t => t with { State = TaskState.Succeeded, Reporting = t.Reporting with { Done = true } }, default);

        Assert.Equal(TaskIndexKeys.For(ended!).OrderBy(k => k.PartitionKey, StringComparer.Ordinal), await EntriesOfAsync(account, "t00001"));
        Assert.Empty(await store.InStatesAsync([TaskState.Queued, TaskState.Running], default));
        Assert.Equal(["t00001"], (await store.ListAllAsync(new TaskListQuery(NodeId: "n1"))).Select(t => t.Id));
    }

    [Fact]
    public async Task AWriterThatLosesItsETagRace_LeavesListsExact_AndItsStrayEntryIsRemovedOnRead()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        var task = (await store.TryCreateAsync(NewTask(1, pr: 7), default))!;
        // Writer A decided "running" and wrote its new entries, then lost the task write to writer B's cancel.
        var running = task with { State = TaskState.Running, NodeId = "n1" };
        foreach (var k in TaskIndexKeys.For(running).Except(TaskIndexKeys.For(task)))
            await UpsertEntryAsync(account, k);
        await store.UpdateAsync(task.Id, t => t with { State = TaskState.Cancelled }, default);

        Assert.Empty(await store.ListAllAsync(new TaskListQuery(TaskState.Running)));
        Assert.Empty(await store.ListAllAsync(new TaskListQuery(NodeId: "n1")));
        Assert.Empty(await store.ActiveOfNodeAsync("n1", default));
        Assert.Equal([task.Id], (await store.ListAllAsync()).Select(t => t.Id));
        var cancelled = await store.GetAsync(task.Id, default);
        Assert.Equal(TaskIndexKeys.For(cancelled!).OrderBy(k => k.PartitionKey, StringComparer.Ordinal), await EntriesOfAsync(account, task.Id));
    }

    [Fact]
    public async Task ACreateThatCrashedAfterItsEntries_IsNeverListed_AndItsEntriesGoOnceOld()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new TaskStore(account, time);
        foreach (var k in TaskIndexKeys.For(NewTask(1)))
            await UpsertEntryAsync(account, k);

        Assert.Empty(await store.ListAllAsync());
        Assert.NotEmpty(await EntriesOfAsync(account, "t00001")); // young: it may be a create in flight

        time.Advance(TaskStore.OrphanAge + TimeSpan.FromMinutes(1));
        Assert.Empty(await store.ListAllAsync());
        Assert.Empty(await store.InStatesAsync([TaskState.Queued], default));
        Assert.Equal([], (await EntriesOfAsync(account, "t00001")).Where(k => k.PartitionKey is TaskIndexKeys.All or "state|Queued"));
    }

    [Fact]
    public async Task ATransition_RemovesTheRowsItMakesStale_WithoutReadingThem_AndOneWrittenAgainSinceStays()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        var task = (await store.TryCreateAsync(NewTask(1, pr: 7), default))!;
        var reads = Count(account, "taskactive", "point-read", false) + Count(account, "taskindex", "point-read", false);
        var taskReads = Count(account, "tasks", "point-read", false);

        var running = await store.UpdateAsync(task.Id, t => t with { State = TaskState.Running, NodeId = "n1" }, default);

        Assert.Equal(reads, Count(account, "taskactive", "point-read", false) + Count(account, "taskindex", "point-read", false));
        Assert.Equal(taskReads, Count(account, "tasks", "point-read", false)); // the version this store wrote saved the read
        Assert.Equal(TaskIndexKeys.For(running!).OrderBy(k => k.PartitionKey, StringComparer.Ordinal), await EntriesOfAsync(account, task.Id));

        // Another writer wrote the Running row again for a version of its own (it upserts before its task write): the
        // ETag this store recorded no longer matches, so ending the task leaves that row to the readers' repair.
        var runningRow = new TaskIndexKey(TaskIndexKeys.State(TaskState.Running), TaskIndexKeys.RowKey(task.CreatedAt, task.Id));
        await UpsertEntryAsync(account, runningRow);
        await store.UpdateAsync(task.Id, t => t with { State = TaskState.Succeeded, Reporting = t.Reporting with { Done = true } }, default);

        Assert.Contains(runningRow, await EntriesOfAsync(account, task.Id));
        Assert.Empty(await store.InStatesAsync([TaskState.Running], default));
    }

    [Fact]
    public async Task AStoreWhoseRememberedVersionIsStale_WritesOnTheFreshValue_AndDeclinesOnlyOnAFreshRead()
    {
        var account = await Stores.AccountAsync(azurite);
        var mine = new TaskStore(account);
        var other = new TaskStore(account);
        var task = (await mine.TryCreateAsync(NewTask(1, pr: 7), default))!;
        await other.UpdateAsync(task.Id, t => t with { State = TaskState.Running, NodeId = "n1" }, default);

        // Remembered: Queued. Table: Running. A change that declines on Queued must see Running and apply.
        var written = await mine.UpdateAsync(task.Id, t => t.State == TaskState.Running ? t with { State = TaskState.Succeeded } : null, default);

        Assert.Equal(TaskState.Succeeded, written?.State);
        Assert.Equal(TaskState.Succeeded, (await other.GetAsync(task.Id, default))!.State);
        Assert.Equal(TaskIndexKeys.For(written!).OrderBy(k => k.PartitionKey, StringComparer.Ordinal), await EntriesOfAsync(account, task.Id));
    }

    /// <summary>The index rows that point to <paramref name="id"/> (a scan: for assertions only).</summary>
    private static async Task<List<TaskIndexKey>> EntriesOfAsync(StorageAccount account, string id)
    {
        var keys = new List<TaskIndexKey>();
        foreach (var table in new[] { account.TaskIndex, account.TaskActive })
            await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: CancellationToken.None))
                if (!row.PartitionKey.StartsWith('$') && TaskIndexKeys.TaskIdOf(row.RowKey) == id) keys.Add(new(row.PartitionKey, row.RowKey));
        return [.. keys.OrderBy(k => k.PartitionKey, StringComparer.Ordinal)];
    }
}
