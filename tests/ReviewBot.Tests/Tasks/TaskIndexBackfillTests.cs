using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Tasks;

/// <summary>An upgrade: task rows stored before the index existed are indexed at start, and a back-fill cut short
/// resumes where it stopped.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TaskIndexBackfillTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ABackfillInterruptedMidway_ResumesFromItsMarker_AndEveryOldTaskIsListedOnce()
    {
        var account = await Stores.AccountAsync(azurite);
        var old = Enumerable.Range(0, 250).Select(i => TaskIndexKeysTests.Task($"old{i:D4}", i % 2 == 0 ? "octo/a" : "octo/b", pr: i % 5, at: Start.AddMinutes(i))
            with { State = i % 4 == 0 ? TaskState.Failed : TaskState.Succeeded, Reporting = new ReportProgress { Done = true } }).ToList();
        await Parallel.ForEachAsync(old, async (t, _) => await LegacyRows.InsertUnindexedAsync(account.Tasks, t));
        var store = new TaskStore(account);
        Assert.Empty(await store.ListAllAsync());

        using var crash = new CancellationTokenSource();
        var first = new TaskIndexBackfill(account, store, NullLogger<TaskIndexBackfill>.Instance);
        first.PageIndexed += pages => { if (pages == 2) crash.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(crash.Token).WaitAsync(Timeouts.Long));
        Assert.Equal(2 * TaskIndexBackfill.PageSize, (await store.ListAllAsync()).Count);

        var resumed = await new TaskIndexBackfill(account, store, NullLogger<TaskIndexBackfill>.Instance).RunAsync(default).WaitAsync(Timeouts.Long);

        Assert.Equal((1, 50), resumed);
        Assert.Equal(old.OrderByDescending(t => t.CreatedAt).Select(t => t.Id), (await store.ListAllAsync(limit: 30)).Select(t => t.Id));
        Assert.Equal(old.Where(t => t.Repository == "octo/b").OrderByDescending(t => t.CreatedAt).Select(t => t.Id),
            (await store.ListAllAsync(new TaskListQuery(Repository: "octo/b"))).Select(t => t.Id));
        Assert.Equal(old.Count(t => t.State == TaskState.Failed), (await store.ListAllAsync(new TaskListQuery(TaskState.Failed))).Count);
        Assert.Equal((0, 0), await new TaskIndexBackfill(account, store, NullLogger<TaskIndexBackfill>.Instance).RunAsync(default).WaitAsync(Timeouts.Long));
        Assert.Equal(old.Select(t => (t.Id, t.Id)).Order(), (await RowKeysAsync(account.Tasks)).Order());
    }

    [Fact]
    public async Task ATaskOfAnOlderVersion_IsReadAndChangedBeforeTheBackfill_AndMovedToItsOwnRowByTheChange()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        var old = TaskIndexKeysTests.Task("old-running", at: Start) with { State = TaskState.Running, NodeId = "n1" };
        await LegacyRows.InsertUnindexedAsync(account.Tasks, old);

        Assert.Equal(TaskState.Running, (await store.GetAsync("old-running", default))!.State);
        Assert.Null(await store.TryCreateAsync(old with { State = TaskState.Queued }, default));
        var changed = await store.UpdateAsync("old-running", t => t with { State = TaskState.Succeeded, CompletedAt = Start.AddMinutes(1) }, default);

        Assert.Equal(TaskState.Succeeded, changed!.State);
        Assert.Equal([("old-running", "old-running")], await RowKeysAsync(account.Tasks));
        var again = await store.UpdateAsync("old-running", t => t with { Error = "second write" }, default);
        Assert.Equal("second write", again!.Error);
        await new TaskIndexBackfill(account, store, NullLogger<TaskIndexBackfill>.Instance).RunAsync(default).WaitAsync(Timeouts.Long);
        Assert.Equal("old-running", Assert.Single(await store.ListAllAsync(new TaskListQuery(TaskState.Succeeded))).Id);
    }

    private static async Task<List<(string, string)>> RowKeysAsync(TableClient table)
    {
        var keys = new List<(string, string)>();
        await foreach (var e in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"])) keys.Add((e.PartitionKey, e.RowKey));
        return keys;
    }

    [Fact]
    public async Task AnAppStartedOnOldRows_ListsThemOnceTheBackfillIsDone()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var table = new TableClient(azurite.ConnectionString, prefix + "tasks");
        await table.CreateIfNotExistsAsync();
        await LegacyRows.InsertUnindexedAsync(table, TaskIndexKeysTests.Task("legacy1", at: Start) with { State = TaskState.Succeeded, Reporting = new ReportProgress { Done = true } });

        await using var app = await TestApp.StartAsync(azurite, Configs.Single("lint", "\".sh\"", "[\"true\"]"), prefix: prefix);

        await app.Services.GetRequiredService<TaskIndexBackfill>().ExecuteTask!.WaitAsync(Timeouts.Long);
        Assert.Equal("legacy1", Assert.Single(await app.Tasks.ListAllAsync()).Id);
    }
}
