using ReviewBot.Core.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.Hosting.Functions;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Jobs.Scheduling;

public static class SchedulingRegistration
{
    /// <summary>The scheduler: its options (validated at start), the leader lease on <c>&lt;prefix&gt;-scheduler/leader</c>,
    /// cron cursors, branch polling, and the in-process loop (<see cref="SchedulerService"/>).</summary>
    public static WebApplicationBuilder AddScheduling(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // Until a catalog is registered (the jobs API adds one), there are no jobs.
        services.TryAddSingleton<IJobCatalog, EmptyJobCatalog>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<GitHubAppClients>();
        services.AddSingleton<BranchPoller>();
        services.AddSingleton(sp => new LeaderLease(
            sp.GetRequiredService<StorageAccount>().SchedulerBlobs.GetBlobClient("leader"),
            sp.GetRequiredService<IOptions<SchedulerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LeaderLease>>()));
        services.AddSingleton<Scheduler>();
        // In process its own loop; under the Functions host the scheduler-tick timer (the lease still decides who fires).
        services.AddInProcessLoop<SchedulerService>();
        services.AddTimerFunction("scheduler-tick", "*/5 * * * * *",
            async (sp, ct) => await sp.GetRequiredService<Scheduler>().TickAsync(sp.GetRequiredService<TimeProvider>().GetUtcNow(), ct));
        return builder;
    }
}

/// <summary>No jobs at all: the catalog in effect when none is registered.</summary>
internal sealed class EmptyJobCatalog : IJobCatalog
{
    public Task<IReadOnlyList<JobDefinition>> ListAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<JobDefinition>>([]);
    public Task<JobDefinition?> GetAsync(string name, CancellationToken ct) => Task.FromResult<JobDefinition?>(null);
}
