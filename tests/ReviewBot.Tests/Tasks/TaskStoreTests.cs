using ReviewBot.Contracts.Agents;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Tasks;

[Collection(AzuriteCollection.Name)]
public sealed class TaskStoreTests(AzuriteFixture azurite)
{
    private static ReviewTask NewTask(string id, string repo = "octo/repo") => new()
    {
        Id = id,
        Repository = repo,
        CloneUrl = "file:///tmp/x.git",
        HeadSha = "abc",
        Linter = new LinterSpec("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
        CreatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task CreatingTheSameTaskTwice_KeepsTheFirstAndReportsTheSecondAsExisting()
    {
        var store = new TaskStore(await Stores.AccountAsync(azurite));

        Assert.NotNull(await store.TryCreateAsync(NewTask("t1") with { Trigger = "first" }, default));
        Assert.Null(await store.TryCreateAsync(NewTask("t1") with { Trigger = "second" }, default));

        Assert.Equal("first", (await store.GetAsync("t1", default))!.Trigger);
    }

    [Fact]
    public async Task ConcurrentUpdates_AreAllApplied_NoneLost()
    {
        var store = new TaskStore(await Stores.AccountAsync(azurite));
        await store.TryCreateAsync(NewTask("t2"), default);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => store.UpdateAsync("t2", t => t with { Attempt = t.Attempt + 1 }, default))));

        Assert.Equal(11, (await store.GetAsync("t2", default))!.Attempt);
    }

    [Fact]
    public async Task UpdateThatDeclines_WritesNothing()
    {
        var store = new TaskStore(await Stores.AccountAsync(azurite));
        await store.TryCreateAsync(NewTask("t3"), default);
        var before = await store.GetAsync("t3", default);

        Assert.Null(await store.UpdateAsync("t3", _ => null, default));

        Assert.Equal(before!.Version, (await store.GetAsync("t3", default))!.Version);
    }

    [Fact]
    public async Task ListFiltersByStateAndRepositoryIgnoringCase()
    {
        var store = new TaskStore(await Stores.AccountAsync(azurite));
        await store.TryCreateAsync(NewTask("a", "Octo/One"), default);
        await store.TryCreateAsync(NewTask("b", "octo/two"), default);
        await store.UpdateAsync("b", t => t.To(TaskState.Running, "go", DateTimeOffset.UtcNow), default);

        Assert.Equal(["a"], (await store.ListAllAsync(new TaskListQuery(Repository: "octo/one"))).Select(t => t.Id));
        Assert.Equal(["b"], (await store.ListAllAsync(new TaskListQuery(State: TaskState.Running))).Select(t => t.Id));
    }

    [Fact]
    public async Task ResultDocumentRoundTrips()
    {
        var store = new TaskStore(await Stores.AccountAsync(azurite));
        var doc = new TaskResultDocument([new Finding("a.sh", 3, 5, 4, Severity.Error, "SC1", "msg")], ["noise"], ["a.sh"]);

        await store.SaveResultAsync("t4", doc, default);
        var back = await store.GetResultAsync("t4", default);

        Assert.Equal(doc.Findings, back!.Findings);
        Assert.Equal(doc.Unexpected, back.Unexpected);
        Assert.Equal(doc.ChangedFiles, back.ChangedFiles);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("a'b")]
    public async Task IdsThatAreNotTaskIds_AreNotFound_WithoutAQuery(string id)
    {
        var store = new TaskStore(await Stores.AccountAsync(azurite));

        Assert.Null(await store.GetAsync(id, default));
    }
}
