using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Functions.Dashboard;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Logs;

/// <summary>The dashboard hub relays stored output to a real SignalR client watching the task.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LiveRelayTests(AzuriteFixture azurite) : LogTestBase(azurite)
{
    [Fact]
    public async Task AWatcherGetsEveryPieceInOrderWithoutGaps()
    {
        var task = await HoldTaskAsync();
        var watcher = await WatcherAsync();
        var snapshot = await watcher.WatchAsync(task.Id);
        Assert.Equal(new LogSnapshot("", 0, false), snapshot);

        var sent = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            var text = $"chunk {i}: {new string('.', i % 17)}\n";
            sent.Append(text);
            await task.SendAsync(i, text);
            if (i % 50 == 0) await task.SendAsync(i, text); // resent: not relayed twice
        }

        var received = new StringBuilder();
        for (var expected = 0L; expected < 200; expected++)
        {
            (string, long, string) got;
            try { got = await watcher.NextAsync(); }
            catch (TimeoutException e) { throw new TimeoutException($"{e.Message} Expected piece {expected}; stored: {await task.LogAsync()}"); }
            var (id, sequence, text) = got;
            Assert.Equal((task.Id, expected), (id, sequence));
            received.Append(text);
        }
        Assert.Equal(sent.ToString(), received.ToString());
        Assert.Equal(sent.ToString(), await task.LogAsync());
    }

    [Fact]
    public async Task TheSnapshotHasTheLogSoFar_AndLiveOutputContinuesAfterIt()
    {
        var task = await HoldTaskAsync();
        await task.SendAsync(0, "one\n");
        await task.SendAsync(1, "two\n");
        var watcher = await WatcherAsync();

        var snapshot = await watcher.WatchAsync(task.Id);
        await task.SendAsync(2, "three\n");
        var next = await watcher.NextAsync();

        Assert.Equal(new LogSnapshot("one\ntwo\n", 2, false), snapshot);
        Assert.Equal((task.Id, 2L, "three\n"), next);
    }

    [Fact]
    public async Task ASnapshotOfALongLog_IsItsLast64KiBFromALineStart()
    {
        var task = await HoldTaskAsync();
        var lines = Enumerable.Range(1, 10_000).Select(i => $"line {i:00000}\n").ToList(); // 11 bytes each
        for (var i = 0; i < 10; i++) await task.SendAsync(i, string.Concat(lines.Skip(i * 1000).Take(1000)));
        var watcher = await WatcherAsync();

        var snapshot = await watcher.WatchAsync(task.Id);

        Assert.True(snapshot.Truncated);
        Assert.Equal(10, snapshot.NextSequence);
        Assert.True(snapshot.Text.Length <= 64 * 1024);
        Assert.StartsWith("line ", snapshot.Text);
        Assert.EndsWith("line 10000\n", snapshot.Text);
    }

    [Fact]
    public async Task UnwatchedTasksAreNotRelayed_AndWatchingAnUnknownTaskFails()
    {
        var task = await HoldTaskAsync();
        var watcher = await WatcherAsync();
        await watcher.WatchAsync(task.Id);
        await task.SendAsync(0, "seen\n");
        Assert.Equal("seen\n", (await watcher.NextAsync()).Text);

        await watcher.Hub.InvokeAsync(nameof(DashboardHub.UnwatchTask), task.Id).WaitAsync(Timeouts.Short);
        await task.SendAsync(1, "not relayed\n");
        await watcher.WatchAsync(task.Id); // watching again: the next piece relayed is the next one stored
        await task.SendAsync(2, "relayed\n");

        Assert.Equal((task.Id, 2L, "relayed\n"), await watcher.NextAsync());
        await Assert.ThrowsAsync<HubException>(() => watcher.WatchAsync("no-such-task"));
    }

    [Fact]
    public async Task TaskChangesGoToEveryConnection()
    {
        var watcher = await WatcherAsync();
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Hub.On<System.Text.Json.JsonElement>(nameof(IDashboardClient.TaskChanged), t =>
        {
            if (t.GetProperty("state").GetString() == "running") seen.TrySetResult(t.GetProperty("id").GetString()!);
        });

        var task = await HoldTaskAsync();

        Assert.Equal(task.Id, await seen.Task.WithTimeout(Timeouts.Short, "TaskChanged for the running task"));
    }
}
