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
        var first = new TaskIndexBackfill(account, NullLogger<TaskIndexBackfill>.Instance);
        first.PageIndexed += pages => { if (pages == 2) crash.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(crash.Token).WaitAsync(Timeouts.Long));
        Assert.Equal(2 * TaskIndexBackfill.PageSize, (await store.ListAllAsync()).Count);

        var resumed = await new TaskIndexBackfill(account, NullLogger<TaskIndexBackfill>.Instance).RunAsync(default).WaitAsync(Timeouts.Long);

        Assert.Equal((1, 50), resumed);
        Assert.Equal(old.OrderByDescending(t => t.CreatedAt).Select(t => t.Id), (await store.ListAllAsync(limit: 30)).Select(t => t.Id));
        Assert.Equal(old.Where(t => t.Repository == "octo/b").OrderByDescending(t => t.CreatedAt).Select(t => t.Id),
            (await store.ListAllAsync(new TaskListQuery(Repository: "octo/b"))).Select(t => t.Id));
        Assert.Equal(old.Count(t => t.State == TaskState.Failed), (await store.ListAllAsync(new TaskListQuery(TaskState.Failed))).Count);
        Assert.Equal((0, 0), await new TaskIndexBackfill(account, NullLogger<TaskIndexBackfill>.Instance).RunAsync(default).WaitAsync(Timeouts.Long));
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
