using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Jobs.Scheduling;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Jobs.Scheduling;

/// <summary>The in-process shape: the hosted loop takes the lease and fires a cron job on the real clock.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SchedulerServiceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TheHostedLoop_LeadsAndFiresACronJob_AndReleasesTheLeaseOnStop()
    {
        var catalog = new InMemoryJobCatalog();
        catalog.Set(SchedulerRig.CronJob("every-second", "* * * * * *"));
        var fired = new TaskCompletionSource<ReviewTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, configure: b => b.Services.AddSingleton<IJobCatalog>(catalog));
        var lease = app.Services.GetRequiredService<Scheduler>().Lease;
        try
        {
            app.Tasks.Changed += t => { if (t.JobName == "every-second") fired.TrySetResult(t); };

            var task = await fired.Task.WithTimeout(Timeouts.Short, "the hosted scheduler to fire a tick");

            Assert.StartsWith("cron ", task.Trigger);
            Assert.True(lease.IsLeader);
        }
        finally { await app.DisposeAsync(); }
        Assert.False(lease.IsLeader);
    }
}
