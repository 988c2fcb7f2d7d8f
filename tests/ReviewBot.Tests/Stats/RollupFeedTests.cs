using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Stats;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Stats;

/// <summary>The rollups are fed by the lifecycle (the real app on Azurite): a task that ends is counted once in the
/// hour it ended; a later change of the ended task (a note in its history) does not count it again.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RollupFeedTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ATaskCancelledWhileQueued_IsCountedOnceInTheHourItEnded()
    {
        var lifecycle = _app.Services.GetRequiredService<TaskLifecycle>();
        var feed = _app.Services.GetRequiredService<RollupFeed>();
        var store = _app.Services.GetRequiredService<RollupStore>();
        var recorded = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        feed.Recorded += t => { recorded.Enqueue(t.Id); if (t.Id == "feed-2") second.TrySetResult(); };
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var template = SimulatedDay.Endings().First() with { State = TaskState.Queued, CreatedAt = DateTimeOffset.UtcNow, QueuedAt = null, StartedAt = null, CompletedAt = null, NodeId = null, NodeName = null, FindingCount = 0 };

        Assert.True(await lifecycle.CreateAsync(template with { Id = "feed-1" }, cts.Token));
        Assert.True(await lifecycle.CancelAsync("feed-1", "test", cts.Token));
        await lifecycle.NoteOnceAsync("feed-1", "a note after the end", cts.Token);
        Assert.True(await lifecycle.CreateAsync(template with { Id = "feed-2" }, cts.Token));
        Assert.True(await lifecycle.CancelAsync("feed-2", "test", cts.Token));
        await second.Task.WaitAsync(cts.Token);

        Assert.Equal(["feed-1", "feed-2"], recorded);
        var ended = (await _app.Tasks.GetAsync("feed-2", cts.Token))!.CompletedAt!.Value;
        var rows = await store.ReadAsync(RollupStore.HourOf(ended).AddHours(-1), RollupStore.HourOf(ended).AddHours(1), cts.Token);
        Assert.Equal(2, rows.Sum(r => r.Rollup.States.GetValueOrDefault("cancelled")));
        Assert.Equal(2, rows.Sum(r => r.Rollup.States.Values.Sum()));
        Assert.Equal(0, rows.Sum(r => r.Rollup.Queue.Count)); // never started: no queue or run time
    }
}
