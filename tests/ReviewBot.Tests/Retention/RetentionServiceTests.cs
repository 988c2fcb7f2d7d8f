using Azure.Data.Tables;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Retention;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Retention;

/// <summary>Retention on Azurite: only what is old and finished goes, with its results and logs; a run stopped after a
/// batch is continued by the next from its saved position; one instance runs at a time.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RetentionServiceTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task DeletesOldFinishedTasksWithResultsAndLogs_KeepsOldActiveAndYoungFinishedOnes()
    {
        var rig = await RetentionRig.CreateAsync(azurite);
        var now = RetentionRig.Start;
        var old = now - 100 * Day;
        string[] oldFinished = ["old-succeeded", "old-failed", "old-cancelled"];
        await rig.AddAsync(RetentionRig.Task("old-succeeded", old, TaskState.Succeeded));
        await rig.AddAsync(RetentionRig.Task("old-failed", old - Day, TaskState.Failed));
        await rig.AddAsync(RetentionRig.Task("old-cancelled", old - 200 * Day, TaskState.Cancelled));
        string[] kept = ["old-waiting", "old-queued", "old-assigned", "old-running", "old-report-pending", "young-succeeded", "edge-89-days"];
        await rig.AddAsync(RetentionRig.Task("old-waiting", old, TaskState.Waiting, reportDone: false));
        await rig.AddAsync(RetentionRig.Task("old-queued", old, TaskState.Queued, reportDone: false));
        await rig.AddAsync(RetentionRig.Task("old-assigned", old, TaskState.Assigned, reportDone: false, nodeId: "n1"));
        await rig.AddAsync(RetentionRig.Task("old-running", old, TaskState.Running, reportDone: false, nodeId: "n1"));
        await rig.AddAsync(RetentionRig.Task("old-report-pending", old, TaskState.Failed, reportDone: false));
        await rig.AddAsync(RetentionRig.Task("young-succeeded", now - 10 * Day, TaskState.Succeeded));
        await rig.AddAsync(RetentionRig.Task("edge-89-days", now - 89 * Day, TaskState.Succeeded));

        using var cts = new CancellationTokenSource(Timeouts.Long);
        var report = await rig.NewService().RunAsync(cts.Token);

        Assert.True(report.Ran);
        Assert.Equal(3, report.Tasks);
        foreach (var id in oldFinished) Assert.Equal((false, false, false, false), await rig.ExistsAsync(id));
        foreach (var id in kept) Assert.Equal((true, true, true, true), await rig.ExistsAsync(id));
    }

    [Fact]
    public async Task ARunStoppedAfterOneBatch_IsContinuedByTheNextFromItsSavedPosition_UntilNothingOldIsLeft()
    {
        var rig = await RetentionRig.CreateAsync(azurite, new RetentionOptions { BatchSize = 10 });
        var now = RetentionRig.Start;
        for (var i = 0; i < 25; i++)
            await rig.AddAsync(RetentionRig.Task($"old-{i:D2}", now - (100 + i) * Day, TaskState.Succeeded));
        await rig.AddAsync(RetentionRig.Task("old-queued", now - 120 * Day, TaskState.Queued, reportDone: false));
        await rig.AddAsync(RetentionRig.Task("young", now - Day, TaskState.Succeeded));

        // First run: cancelled as soon as its first batch of tasks is saved, as a stopping instance would be.
        using var stop = new CancellationTokenSource(Timeouts.Long);
        var first = rig.NewService();
        var firstBatches = new List<RetentionBatch>();
        first.BatchSaved += b =>
        {
            firstBatches.Add(b);
            if (b.Kind == RetentionKinds.Tasks) stop.Cancel();
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(stop.Token));
        var saved = Assert.Single(firstBatches);
        Assert.Equal(10, saved.Deleted);
        Assert.NotNull(saved.Next);
        Assert.Equal(17, (await TaskIdsAsync(rig)).Count); // 15 old finished, the old queued one, the young one
        var row = (await rig.Account.Retention.GetEntityAsync<TableEntity>("state", "state")).Value;
        Assert.Equal(saved.Next, row.GetString(RetentionKinds.Tasks + "After"));

        // Second run, on another instance and a little later: it starts where the first stopped and ends the pass.
        rig.Time.Advance(TimeSpan.FromMinutes(10));
        var second = rig.NewService();
        var secondBatches = new List<RetentionBatch>();
        second.BatchSaved += secondBatches.Add;
        using var cts = new CancellationTokenSource(Timeouts.Long);
        var report = await second.RunAsync(cts.Token);

        Assert.True(report.Ran);
        Assert.Equal(15, report.Tasks);
        var taskBatches = secondBatches.Where(b => b.Kind == RetentionKinds.Tasks).ToList();
        Assert.Equal(saved.Next, taskBatches[0].After);
        Assert.Null(taskBatches[^1].Next);
        Assert.Equal(["old-queued", "young"], await TaskIdsAsync(rig));
        for (var i = 0; i < 25; i++) Assert.Equal((false, false, false, false), await rig.ExistsAsync($"old-{i:D2}"));
        Assert.Equal((true, true, true, true), await rig.ExistsAsync("old-queued"));
    }

    [Fact]
    public async Task WhileOneInstanceHoldsTheRun_AnotherSkipsIt_AndTakesItOnceTheLeaseEnded()
    {
        var rig = await RetentionRig.CreateAsync(azurite);
        await rig.AddAsync(RetentionRig.Task("old", RetentionRig.Start - 100 * Day, TaskState.Succeeded));
        var holder = await new RetentionStateStore(rig.Account, rig.Time).TryBeginAsync("instance-a", rig.Options.LeaseDuration, CancellationToken.None);
        Assert.NotNull(holder);

        using var cts = new CancellationTokenSource(Timeouts.Long);
        Assert.False((await rig.NewService().RunAsync(cts.Token)).Ran);
        Assert.Equal((true, true, true, true), await rig.ExistsAsync("old"));

        rig.Time.Advance(rig.Options.LeaseDuration + TimeSpan.FromSeconds(1)); // instance-a stopped without ending its run
        Assert.True((await rig.NewService().RunAsync(cts.Token)).Ran);
        Assert.Equal((false, false, false, false), await rig.ExistsAsync("old"));
        Assert.False(await holder.SaveAsync(RetentionKinds.Tasks, null, null, false, CancellationToken.None)); // instance-a learns it lost the run
    }

    [Fact]
    public async Task ARunExpiresDeliveriesAfterTheirAgeAndResponsesAfterTheTaskAge_KeepingYoungerOnes()
    {
        var rig = await RetentionRig.CreateAsync(azurite);
        var ct = CancellationToken.None;
        var pr = new PullRequestKey("github", "octo/app", 7);
        await rig.Deliveries.TryRecordAsync("github", "d-old", "pull_request", "opened", 1, ct);
        await rig.Responses.UpdateAsync(pr, "alice", r => r with { RemindersSent = 1 }, ct);
        rig.Time.Advance(6 * Day);
        await rig.Deliveries.TryRecordAsync("github", "d-young", "pull_request", "synchronize", 1, ct);
        rig.Time.Advance(2 * Day);
        using var cts = new CancellationTokenSource(Timeouts.Long);

        var first = await rig.NewService().RunAsync(cts.Token);

        Assert.Equal((1, 0), (first.Deliveries, first.Responses));
        Assert.False(await rig.Deliveries.ExistsAsync("github", "d-old", ct));
        Assert.True(await rig.Deliveries.ExistsAsync("github", "d-young", ct)); // its redelivery is still a duplicate
        Assert.NotNull(await rig.Responses.GetAsync(pr, "alice", ct));

        rig.Time.Advance(rig.Options.TaskAge);
        var second = await rig.NewService().RunAsync(cts.Token);

        Assert.Equal((1, 1), (second.Deliveries, second.Responses));
        Assert.False(await rig.Deliveries.ExistsAsync("github", "d-young", ct));
        Assert.Null(await rig.Responses.GetAsync(pr, "alice", ct));
    }

    private static async Task<List<string>> TaskIdsAsync(RetentionRig rig)
    {
        var ids = new List<string>();
        await foreach (var e in rig.Account.Tasks.QueryAsync<TableEntity>(select: ["PartitionKey"])) ids.Add(e.PartitionKey);
        return [.. ids.Order(StringComparer.Ordinal)];
    }
}
