using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Reminders.Bindings;

/// <summary>Reminder responses on Azurite: read by pull request and by person through keys, and deleted by retention once
/// nobody wrote them for the age, a response written since being kept.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ResponseStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Age = TimeSpan.FromDays(90);
    private static readonly PullRequestKey Pr1 = new("github", "Octo/App", 1), Pr2 = new("github", "octo/app", 2), Pr3 = new("gitlab", "group/sub/proj", 3);

    [Fact]
    public async Task ResponsesNotWrittenForTheAgeAreDeleted_OneWrittenSinceIsKept_ReadsGoByKey()
    {
        var account = await Stores.AccountAsync(azurite);
        var time = new FakeTimeProvider(Start);
        var store = new ResponseStore(account, time);
        var ct = CancellationToken.None;
        await store.UpdateAsync(Pr1, "Alice", r => r with { RemindersSent = 1, LastRemindedAt = time.GetUtcNow() }, ct);
        await store.UpdateAsync(Pr2, "alice", r => r with { RemindersSent = 1, LastRemindedAt = time.GetUtcNow() }, ct);
        await store.UpdateAsync(Pr3, "bob", r => r with { RemindersSent = 1, LastRemindedAt = time.GetUtcNow() }, ct);
        Assert.Equal([1, 2], (await store.ListForAsync("ALICE", ct)).Select(r => r.PullRequest.Number).Order());
        Assert.Equal(["Alice", "alice"], (await store.ListForAsync([Pr1, Pr2, Pr1], ct)).Select(r => r.Login).Order(StringComparer.Ordinal));

        time.Advance(TimeSpan.FromDays(60));
        await store.UpdateAsync(Pr2, "alice", r => r with { AckedAt = time.GetUtcNow() }, ct);
        time.Advance(TimeSpan.FromDays(40));

        Assert.Equal((2, false), await store.ExpireAsync(time.GetUtcNow() - Age, limit: 10, ct));
        Assert.Null(await store.GetAsync(Pr1, "alice", ct));
        Assert.Null(await store.GetAsync(Pr3, "bob", ct));
        Assert.NotNull((await store.GetAsync(Pr2, "alice", ct))!.AckedAt);
        Assert.Equal([2], (await store.ListForAsync("alice", ct)).Select(r => r.PullRequest.Number));
        Assert.Empty(await store.ListForAsync("bob", ct));
        Assert.Equal((0, false), await store.ExpireAsync(time.GetUtcNow() - Age, limit: 10, ct)); // the kept one moved to its newer time

        time.Advance(TimeSpan.FromDays(51));
        Assert.Equal((1, false), await store.ExpireAsync(time.GetUtcNow() - Age, limit: 10, ct));
        var left = new List<TableEntity>();
        await foreach (var e in account.Responses.QueryAsync<TableEntity>()) left.Add(e);
        Assert.Empty(left); // index rows went with the responses
    }
}
