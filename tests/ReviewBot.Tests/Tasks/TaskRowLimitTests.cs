using System.Text.Json;
using Azure.Data.Tables;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Tasks;

/// <summary>Security review D2: a task is one Table property of at most 32,768 characters, and no change to a task may
/// fail because its row would grow past it. Notes and errors are cut, the oldest history goes first, and a task that
/// ends can always be written.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TaskRowLimitTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static ReviewTask NewTask(string id) => new()
    {
        Id = id,
        Repository = "octo/repo",
        CloneUrl = "https://github.com/octo/repo.git",
        HeadSha = new string('b', 40),
        Linter = new LinterSpec("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
        CreatedAt = Now,
    };

    private static async Task<int> StoredRowChars(StorageAccount account, string id) =>
        (await account.Tasks.GetEntityAsync<TableEntity>(id, id)).Value.GetString("Data").Length;

    [Fact]
    public async Task ManyLongNotes_KeepTheRowUnderTheLimit_AndTheFirstAndLatestEntries()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        await store.TryCreateAsync(NewTask("notes").To(TaskState.Queued, "created by a test", Now), default);

        for (var i = 0; i < 150; i++)
        {
            var note = $"refused by agent-{i}: " + new string('n', 5000);
            Assert.NotNull(await store.UpdateAsync("notes", t => t.To(TaskState.Queued, note, Now.AddSeconds(i)), default));
        }

        var task = (await store.GetAsync("notes", default))!;
        Assert.Equal("created by a test", task.History[0].Note);
        Assert.StartsWith("refused by agent-149: ", task.History[^1].Note);
        Assert.All(task.History, h => Assert.True(h.Note.Length <= FieldLimits.Note));
        Assert.True(await StoredRowChars(account, "notes") <= FieldLimits.TaskRow);
    }

    [Fact]
    public async Task AHugeError_IsCutInTheRow()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        await store.TryCreateAsync(NewTask("error"), default);
        var error = "clone failed: " + new string('e', 1_000_000);

        var failed = await store.UpdateAsync("error", t => t.To(TaskState.Errored, error, Now) with { Error = error }, default);

        Assert.NotNull(failed);
        var stored = (await store.GetAsync("error", default))!;
        Assert.Equal(TaskState.Errored, stored.State);
        Assert.StartsWith("clone failed: eee", stored.Error);
        Assert.True(stored.Error!.Length <= FieldLimits.Error);
        Assert.True(await StoredRowChars(account, "error") <= FieldLimits.TaskRow);
    }

    [Fact]
    public async Task ALegacyRowAtTheLimit_CanStillEnd_WithItsSourceFieldsCut()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        await LegacyRows.InsertAsync(account.Tasks, LegacyRows.Task("legacy-end", Now));

        var cancelled = await store.UpdateAsync("legacy-end", t => t.To(TaskState.Cancelled, "aborted via API", Now) with { Error = "aborted via API", CompletedAt = Now }, default);

        Assert.NotNull(cancelled);
        var stored = (await store.GetAsync("legacy-end", default))!;
        Assert.Equal((TaskState.Cancelled, "aborted via API"), (stored.State, stored.Error));
        Assert.StartsWith("feature/xxx", stored.HeadRef);
        Assert.EndsWith("…", stored.HeadRef);
        Assert.True(await StoredRowChars(account, "legacy-end") <= FieldLimits.TaskRow);
    }

    [Fact]
    public async Task ALegacyRowAtTheLimit_ThatWouldRunOn_IsRefusedAsTooLarge_NotCut()
    {
        var account = await Stores.AccountAsync(azurite);
        var store = new TaskStore(account);
        var legacy = await LegacyRows.InsertAsync(account.Tasks, LegacyRows.Task("legacy-run", Now));

        // Running it with a cut ref would fetch another branch: the change is refused instead.
        var e = await Assert.ThrowsAsync<TaskRowTooLargeException>(() =>
            store.UpdateAsync("legacy-run", t => t.To(TaskState.Assigned, "placed on agent-a", Now) with { NodeId = "agent-a" }, default));

        Assert.Equal("legacy-run", e.TaskId);
        Assert.Equal(legacy.HeadRef, (await store.GetAsync("legacy-run", default))!.HeadRef);
    }

    [Fact]
    public void RowsAreStoredWithoutEscapingNonAsciiText()
    {
        // Six characters per escaped character would shrink what fits; the row keeps text as it is.
        Assert.Equal("\"€ü漢\"", JsonSerializer.Serialize("€ü漢", StorageJson.Options));
    }
}
