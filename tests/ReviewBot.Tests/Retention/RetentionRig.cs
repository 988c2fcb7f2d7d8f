using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Retention;
using ReviewBot.Functions.Stats;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Retention;

/// <summary>The stores retention works on, on Azurite under a prefix of their own, with a fake clock, and a
/// <see cref="RetentionService"/> over them.</summary>
public sealed class RetentionRig
{
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private RetentionRig(StorageAccount account, RetentionOptions options)
    {
        Account = account;
        Options = options;
        Tasks = new TaskStore(account);
        Logs = new LogStore(account, Tasks, new LiveLogs(), Microsoft.Extensions.Options.Options.Create(new LogsOptions()), NullLogger<LogStore>.Instance);
        Deliveries = new DeliveryStore(account, Time);
        Responses = new ResponseStore(account, Time);
        Nodes = new NodeStore(account);
        Credentials = new AgentCredentialStore(account);
        Registry = new AgentRegistry(Microsoft.Extensions.Options.Options.Create(new AgentsOptions()), Time);
    }

    public FakeTimeProvider Time { get; } = new(Start);
    public StorageAccount Account { get; }
    public RetentionOptions Options { get; }
    public TaskStore Tasks { get; }
    public LogStore Logs { get; }
    public DeliveryStore Deliveries { get; }
    public ResponseStore Responses { get; }
    public NodeStore Nodes { get; }
    public AgentCredentialStore Credentials { get; }
    public AgentRegistry Registry { get; }
    public RollupStore Rollups => new(Account, Time);
    public ConfigCheckStore ConfigChecks => new(Account, Time);

    public static async Task<RetentionRig> CreateAsync(AzuriteFixture azurite, RetentionOptions? options = null) =>
        new(await Stores.AccountAsync(azurite), options ?? new RetentionOptions());

    /// <summary>A service as another instance would have it (same tables, its own holder name).</summary>
    public RetentionService NewService() => new(
        new RetentionStateStore(Account, Time), Tasks, Logs, Deliveries, Responses, new AgentPruning(Nodes, Credentials, Registry, Tasks), Rollups,
        ConfigChecks,
        Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<RetentionService>.Instance);

    public static ReviewTask Task(string id, DateTimeOffset createdAt, TaskState state, bool reportDone = true, string? nodeId = null) => new()
    {
        Id = id,
        Repository = "octo/repo",
        CloneUrl = "file:///tmp/x.git",
        HeadSha = "abc",
        Linter = new LinterSpec("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
        CreatedAt = createdAt,
        State = state,
        NodeId = nodeId,
        LeaseToken = nodeId is null ? null : "lease-" + id,
        Reporting = reportDone ? ReportProgress.Off("not reported (test)") : new ReportProgress(),
    };

    /// <summary>Stores the task with a results blob, an archived log and (for a task that could still be running) a live log.</summary>
    public async Task<ReviewTask> AddAsync(ReviewTask task)
    {
        var created = await Tasks.TryCreateAsync(task, CancellationToken.None) ?? throw new InvalidOperationException($"task {task.Id} exists");
        await Tasks.SaveResultAsync(task.Id, new TaskResultDocument([], [], []), CancellationToken.None);
        await Account.Logs.GetBlobClient(LogStore.ArchivedName(task.Id)).UploadAsync(BinaryData.FromString("archived log"), CancellationToken.None);
        await Account.Logs.GetAppendBlobClient(LogStore.RunningName(task.Id)).CreateAsync(cancellationToken: CancellationToken.None);
        return created;
    }

    /// <summary>Whether the task's row, results blob and each log blob still exist.</summary>
    public async Task<(bool Row, bool Results, bool RunningLog, bool ArchivedLog)> ExistsAsync(string id) => (
        await Tasks.GetAsync(id, CancellationToken.None) is not null,
        (await Account.Results.GetBlobClient(id + ".json").ExistsAsync()).Value,
        (await Account.Logs.GetBlobClient(LogStore.RunningName(id)).ExistsAsync()).Value,
        (await Account.Logs.GetBlobClient(LogStore.ArchivedName(id)).ExistsAsync()).Value);

    public static NodeRecord Node(string id, DateTimeOffset lastSeen, string state = "Offline") =>
        new(id, id, ["linux"], 1, false, "1.0", "linux", "x64", state, "instance-a", lastSeen, lastSeen, AgentBinding.Agent);
}
