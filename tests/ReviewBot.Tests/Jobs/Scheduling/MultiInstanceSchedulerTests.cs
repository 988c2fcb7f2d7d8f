using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Jobs.Scheduling;
using ReviewBot.Functions.Storage;
using ReviewBot.Tests.Infrastructure;
using static ReviewBot.Tests.Jobs.Scheduling.SchedulerRig;

namespace ReviewBot.Tests.Jobs.Scheduling;

/// <summary>
/// Three scheduler instances (each its own lease, clock and catalog; shared storage on Azurite) run a one-second
/// cron job for 300 ticks on fake clocks moved in lockstep. The leader is killed (its lease abandoned), later the next
/// leader is paused mid-tick and resumed after its lease was taken over. Azurite expires leases on real time, which
/// this test does not wait for: when an abandoned lease would have expired on the fake clocks (its last renewal +
/// the duration), the test breaks it, as the expiry would.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MultiInstanceSchedulerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Job = "every-second";
    private const int Ticks = 300;
    private TestApp _app = null!;

    private sealed record Instance(string Name, FakeTimeProvider Time, InMemoryJobCatalog Catalog, LeaderLease Lease, Scheduler Scheduler)
    {
        public bool Dead { get; set; }
        public Task<TickReport>? PausedTick { get; set; }
    }

    public async Task InitializeAsync() => _app = await StartAppAsync(azurite, new InMemoryJobCatalog());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task OverHundredsOfTicks_WithTheLeaderKilledAndAnotherPaused_EveryTickFiresExactlyOnce()
    {
        var options = Options();
        var instances = Enumerable.Range(0, 3).Select(i =>
        {
            var time = new FakeTimeProvider(Start);
            var catalog = new InMemoryJobCatalog();
            catalog.Set(CronJob(Job, "* * * * * *"));
            var lease = Lease(_app, time, options, $"00000000-0000-0000-0000-00000000000{i}");
            return new Instance($"instance {i}", time, catalog, lease, Create(_app, catalog, time, options, lease));
        }).ToList();
        var breaker = _app.Services.GetRequiredService<StorageAccount>().SchedulerBlobs.GetBlobClient("leader").GetBlobLeaseClient();
        var created = new Dictionary<DateTimeOffset, int>();
        var leaders = new List<string>();
        var catchUps = new List<int>(); // ticks fired at once by a new leader, for those a failover left behind
        DateTimeOffset? expiry = null;
        Instance? killed = null, paused = null;

        for (var step = 0; step <= Ticks; step++)
        {
            var now = Start.AddSeconds(step);
            if (expiry is { } e && now >= e)
            {
                await BreakAsync(breaker); // the abandoned lease expires now
                expiry = null;
            }

            if (step == 60)
            {
                killed = instances.Single(i => i.Lease.IsLeader);
                killed.Lease.Abandon(); // crashed: no release
                killed.Dead = true;
                expiry = killed.Lease.Deadline + options.LeaseSafetyMargin;
            }
            if (step == 150)
            {
                paused = instances.Single(i => !i.Dead && i.Lease.IsLeader);
                var held = paused.Catalog.Hold();
                paused.Time.AdjustTime(now);
                paused.PausedTick = paused.Scheduler.TickAsync(now, CancellationToken.None); // stops inside, as leader
                await held.WithTimeout(Timeouts.Short, "the paused leader to reach the catalog");
                expiry = paused.Lease.Deadline + options.LeaseSafetyMargin;
            }
            if (step == 220)
            {
                // Resumed: its clock jumps to the present, its tick goes on, and it must notice it no longer leads.
                paused!.Time.AdjustTime(now);
                paused.Catalog.Release();
                var late = await paused.PausedTick!.WithTimeout(Timeouts.Short, "the paused tick to finish");
                Assert.False(late.Leader);
                Assert.Empty(late.Fired);
                paused.PausedTick = null;
            }

            // A different instance goes first on each step.
            for (var k = 0; k < instances.Count; k++)
            {
                var instance = instances[(step + k) % instances.Count];
                if (instance.Dead || instance.PausedTick is not null) continue;
                instance.Time.AdjustTime(now);
                var report = await instance.Scheduler.TickAsync(now, CancellationToken.None);
                if (report.Fired.Count > 1) catchUps.Add(report.Fired.Count);
                foreach (var f in report.Fired.Where(f => f.Launch.Outcome == LaunchOutcome.Created))
                    created[f.Tick] = created.GetValueOrDefault(f.Tick) + 1;
                if (report.Leader && (leaders.Count == 0 || leaders[^1] != instance.Name)) leaders.Add(instance.Name);
            }
        }

        // Three leaders in turn: the first was killed, the second paused, the third leads to the end.
        Assert.Equal(3, leaders.Count);
        Assert.DoesNotContain(paused!.Name, leaders.Skip(2));
        Assert.False(paused.Lease.IsLeader);
        // Both failovers left ticks behind (about 20 and 30 s of them), which the next leader fired late.
        Assert.Equal(2, catchUps.Count);
        Assert.All(catchUps, n => Assert.InRange(n, 15, 45));

        var expected = Enumerable.Range(1, Ticks).Select(s => Start.AddSeconds(s)).ToList();
        Assert.Equal(expected, created.Keys.Order());
        Assert.All(created, kv => Assert.Equal(1, kv.Value));
        var tasks = await TasksOf(_app, Job);
        Assert.Equal(Ticks, tasks.Count);
        Assert.Equal(expected.Select(t => TaskIdOf(Job, t)).Order(), tasks.Select(t => t.Id).Order());
        Assert.Equal(expected.Select(t => t.UtcDateTime.ToString("o")).Order(), tasks.Select(t => t.JobFiringKey!).Order());
    }

    private static async Task BreakAsync(BlobLeaseClient breaker)
    {
        try { await breaker.BreakAsync(TimeSpan.Zero); }
        catch (RequestFailedException e) when (e.Status == 409) { } // already expired on Azurite's own clock
    }
}
