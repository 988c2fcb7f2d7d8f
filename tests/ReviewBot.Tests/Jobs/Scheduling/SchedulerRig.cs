using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Jobs.Scheduling;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Tasks;

namespace ReviewBot.Tests.Jobs.Scheduling;

/// <summary>Job definitions held in memory; <see cref="Set"/> replaces one, as the jobs API would.
/// <see cref="Hold"/> makes the next listing wait until released (a scheduler paused mid-tick).</summary>
public sealed class InMemoryJobCatalog : IJobCatalog
{
    private readonly ConcurrentDictionary<string, JobDefinition> _jobs = new(StringComparer.Ordinal);
    private TaskCompletionSource? _hold;     // armed by Hold, taken by the next listing
    private TaskCompletionSource? _blocking; // what that listing waits on, until Release
    private TaskCompletionSource? _held;

    public void Set(JobDefinition job) => _jobs[job.Name] = job;

    /// <summary>The next <see cref="ListAsync"/> blocks; the returned task completes when it has started blocking.</summary>
    public Task Hold()
    {
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _held.Task;
    }

    public void Release() => (_blocking ?? _hold)?.TrySetResult();

    public async Task<IReadOnlyList<JobDefinition>> ListAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _hold, null) is { } hold)
        {
            _blocking = hold;
            _held!.TrySetResult();
            await hold.Task.WaitAsync(ct);
        }
        return [.. _jobs.Values.OrderBy(j => j.Name, StringComparer.Ordinal)];
    }

    public Task<JobDefinition?> GetAsync(string name, CancellationToken ct) => Task.FromResult(_jobs.GetValueOrDefault(name));
}

/// <summary>Scheduler instances over a <see cref="TestApp"/>'s storage, each with a lease and a clock of its own.</summary>
public static class SchedulerRig
{
    public static readonly Dictionary<string, string?> Settings = new() { ["ReviewBot:Scheduler:Enabled"] = "false" };

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static Task<TestApp> StartAppAsync(AzuriteFixture azurite, IJobCatalog catalog) =>
        TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, Settings, configure: b => b.Services.AddSingleton(catalog));

    public static SchedulerOptions Options(TimeSpan? grace = null) => new()
    {
        LeaseDuration = TimeSpan.FromSeconds(30),
        RenewInterval = TimeSpan.FromSeconds(10),
        LeaseSafetyMargin = TimeSpan.FromSeconds(5),
        MisfireGrace = grace ?? TimeSpan.FromSeconds(60),
        PollInterval = TimeSpan.FromMinutes(1),
    };

    public static LeaderLease Lease(TestApp app, TimeProvider time, SchedulerOptions? options = null, string? id = null) =>
        new(app.Services.GetRequiredService<StorageAccount>().SchedulerBlobs.GetBlobClient("leader"), options ?? Options(), time, NullLogger<LeaderLease>.Instance, id);

    public static Scheduler Create(TestApp app, IJobCatalog catalog, FakeTimeProvider time, SchedulerOptions? options = null, LeaderLease? lease = null)
    {
        options ??= Options();
        return new Scheduler(catalog, app.Services.GetRequiredService<JobLauncher>(), app.Services.GetRequiredService<ScheduleStore>(),
            lease ?? Lease(app, time, options), app.Services.GetRequiredService<BranchPoller>(),
            Microsoft.Extensions.Options.Options.Create(options), NullLogger<Scheduler>.Instance);
    }

    public static JobDefinition CronJob(string name, string cron, string? zone = null, ConcurrencyPolicy concurrency = ConcurrencyPolicy.Allow,
        MisfirePolicy misfire = MisfirePolicy.FireOnce) => new()
    {
        Name = name,
        Trigger = new JobTrigger(JobTriggerKind.Cron, Cron: cron, TimeZone: zone),
        Repository = "Codertocat/Hello-World",
        Steps = [new ReviewBot.Contracts.Agents.JobStep("build", "echo build")],
        Concurrency = concurrency,
        Misfire = misfire,
    };

    public static string TaskIdOf(string job, DateTimeOffset tick) => TaskIds.ForJob(job, tick.UtcDateTime.ToString("o"));

    public static async Task<IReadOnlyList<ReviewTask>> TasksOf(TestApp app, string job) =>
        await app.Tasks.ListAllAsync(new TaskListQuery(JobName: job));
}
