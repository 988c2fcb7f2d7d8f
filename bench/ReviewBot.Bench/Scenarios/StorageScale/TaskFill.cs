using System.Diagnostics;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Bench.Scenarios.StorageScale;

/// <summary>
/// Fills an app's tasks table through the app's own <see cref="TaskStore"/> (so whatever rows the store writes per
/// task, indexes included, are written), with its bulk <see cref="TaskStore.ImportAsync"/>, without webhooks. The only place the bench
/// writes tasks: a change of the store's API is adapted here.
/// Finished tasks are spread over 100 repositories and look like real ones (a linter, a history of five events);
/// 1 in 100 is in the webhook fixture's repository, on other pull requests than the one the webhooks name.
/// </summary>
public sealed class TaskFill
{
    /// <summary>The repository and pull request of tests/ReviewBot.Tests/TestData/github/pull_request.opened.json.</summary>
    public const string FixtureRepository = "Codertocat/Hello-World";
    public const int FixturePullRequest = 2;

    private static readonly LinterSpec Linter = new("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [], TimeSpan.FromMinutes(5));

    private readonly TaskStore _store;
    private readonly int _parallel;

    private TaskFill(TaskStore store, int parallel) => (_store, _parallel) = (store, parallel);

    /// <summary>Tasks written so far by this fill.</summary>
    public int Count { get; private set; }

    /// <summary>A store on the app's tables (<paramref name="prefix"/>), which are created if missing.</summary>
    public static async Task<TaskFill> OpenAsync(string connectionString, string prefix, int parallel, CancellationToken ct)
    {
        var account = new StorageAccount(Options.Create(new StorageOptions { ConnectionString = connectionString, Prefix = prefix }));
        await account.CreateAllAsync(ct);
        return new TaskFill(new TaskStore(account), parallel);
    }

    /// <summary>Adds finished tasks until <see cref="Count"/> finished ones exist or <paramref name="deadline"/> passes;
    /// returns how long it took.</summary>
    public Task<TimeSpan> FinishedUpToAsync(int total, long deadline, CancellationToken ct) =>
        AddAsync(total - Count, queued: false, deadline, ct);

    /// <summary>Adds <paramref name="count"/> queued tasks (labels "linux"), oldest first, as if no agent had been there.</summary>
    public Task<TimeSpan> QueuedAsync(int count, long deadline, CancellationToken ct) => AddAsync(count, queued: true, deadline, ct);

    private async Task<TimeSpan> AddAsync(int count, bool queued, long deadline, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        if (count <= 0) return TimeSpan.Zero;
        var first = Count;
        var written = 0;
        // The store's bulk import: index rows batched per partition, then the task rows. Chunks run _parallel at a time.
        var chunks = Enumerable.Range(first, count).Chunk(500);
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _parallel / 16), CancellationToken = ct }, async (chunk, token) =>
        {
            if (Stopwatch.GetTimestamp() > deadline) return;
            await _store.ImportAsync([.. chunk.Select(i => Task(i, queued))], token);
            Interlocked.Add(ref written, chunk.Length);
        });
        Count += written;
        return Stopwatch.GetElapsedTime(start);
    }

    private static ReviewTask Task(int i, bool queued)
    {
        // Finished tasks one every 20 s from 60 days ago (younger than retention's default 90 days, so none is deleted
        // while the bench runs); queued ones from a minute ago (the dispatcher fails a task
        // queued longer than ReviewBot:Routing:QueueTimeout, 30 minutes).
        var created = queued ? DateTimeOffset.UtcNow.AddMinutes(-1).AddMilliseconds(i % 10_000) : DateTimeOffset.UtcNow.AddDays(-60).AddSeconds(i * 20);
        var inFixture = i % 100 == 0;
        var repository = inFixture ? FixtureRepository : $"bench-org/repo-{i % 100:D2}";
        var pull = inFixture ? 1000 + i / 100 : i / 100 % 500 + 1;
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(BitConverter.GetBytes(i)));
        var task = new ReviewTask
        {
            Id = Guid.NewGuid().ToString("N"),
            Repository = repository,
            CloneUrl = $"https://github.com/{repository}.git",
            PullRequest = pull,
            HeadSha = sha,
            HeadRef = $"feature-{i}",
            BaseSha = new string('0', 40),
            BaseRef = "main",
            Linter = Linter,
            NodeLabels = "linux",
            Trigger = "github pull_request.synchronize",
            DeliveryId = Guid.NewGuid().ToString(),
            InstallationId = 1,
            CreatedAt = created,
            QueuedAt = created,
        };
        if (queued) return task with { History = [new(created, TaskState.Queued, "created")] };
        return task with
        {
            State = TaskState.Succeeded,
            NodeId = $"agent-{i % 20:D2}",
            NodeName = $"agent-{i % 20:D2}",
            LeaseToken = Guid.NewGuid().ToString("N"),
            PlacementReason = "matched linux; least loaded",
            StartedAt = created.AddSeconds(2),
            CompletedAt = created.AddSeconds(40),
            ExitCode = 0,
            FindingCount = i % 7,
            Reporting = new ReportProgress { Done = true },
            History =
            [
                new(created, TaskState.Queued, "created"),
                new(created.AddSeconds(1), TaskState.Assigned, $"assigned to agent-{i % 20:D2}"),
                new(created.AddSeconds(2), TaskState.Running, "accepted"),
                new(created.AddSeconds(40), TaskState.Succeeded, "exit 0"),
            ],
        };
    }
}
