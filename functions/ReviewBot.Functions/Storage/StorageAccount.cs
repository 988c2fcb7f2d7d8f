using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.Agents.Credentials;

namespace ReviewBot.Functions.Storage;

/// <summary>The clients of every table and container ReviewBot uses, named with the configured prefix.
/// Tables and containers are created once at start (<see cref="StorageInitializer"/>), never per call.</summary>
public sealed class StorageAccount
{
    public StorageAccount(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        // One client per table and container, each with its own metering policy, so that every request (a batch too)
        // is counted against the table or container it addresses.
        TableClient Table(string name)
        {
            var clientOptions = new TableClientOptions();
            clientOptions.AddPolicy(Metering.PolicyFor(name, table: true), HttpPipelinePosition.PerRetry);
            return new TableClient(o.ConnectionString, o.Prefix + name, clientOptions);
        }
        BlobContainerClient Container(string name)
        {
            var clientOptions = new BlobClientOptions();
            clientOptions.AddPolicy(Metering.PolicyFor(name, table: false), HttpPipelinePosition.PerRetry);
            return new BlobContainerClient(o.ConnectionString, o.Prefix + "-" + name, clientOptions);
        }
        Nodes = Table("nodes");
        Tasks = Table("tasks");
        TaskIndex = Table("taskindex");
        TaskActive = Table("taskactive");
        Deliveries = Table("deliveries");
        Jobs = Table("jobs");
        AgentCredentials = Table("agentcredentials");
        Bindings = Table("bindings");
        Responses = Table("responses");
        ChatReplays = Table("chatreplays");
        Approvals = Table("approvals");
        Results = Container("results");
        Schedule = Table("schedule");
        SchedulerBlobs = Container("scheduler");
        Logs = Container("logs");
        Retention = Table("retention");
        Rollups = Table("rollups");
        ConfigChecks = Table("configchecks");
    }

    /// <summary>Storage transactions and entities read by this account's clients (<see cref="StorageMetering"/>).</summary>
    public StorageMetering Metering { get; } = new();

    public TableClient Nodes { get; }
    public TableClient Tasks { get; }
    /// <summary>The tasks' index rows that outlive the task's activity (Tasks/TaskIndex.cs) and the back-fill's progress marker.</summary>
    public TableClient TaskIndex { get; }
    /// <summary>The tasks' index rows that exist only while a task is active (Tasks/TaskIndex.cs): bounded by what is in flight.</summary>
    public TableClient TaskActive { get; }
    public TableClient Deliveries { get; }
    public TableClient Jobs { get; }
    /// <summary>Per-agent credential hashes (<see cref="AgentCredentialStore"/>).</summary>
    public TableClient AgentCredentials { get; }
    /// <summary>Git login ↔ chat user, per platform (Reminders/Bindings/BindingStore.cs).</summary>
    public TableClient Bindings { get; }
    /// <summary>Reminder responses per pull request and person (Reminders/Bindings/ResponseStore.cs).</summary>
    public TableClient Responses { get; }
    /// <summary>Chat requests already carried out (Reminders/Chat/ChatReplayStore.cs).</summary>
    public TableClient ChatReplays { get; }
    /// <summary>Approvals of untrusted pull requests (<see cref="Trust.ApprovalStore"/>).</summary>
    public TableClient Approvals { get; }
    public BlobContainerClient Results { get; }

    /// <summary>Cron cursors and polled heads (the scheduler's ScheduleStore).</summary>
    public TableClient Schedule { get; }

    /// <summary>The scheduler's leader lease blob, <c>leader</c>.</summary>
    public BlobContainerClient SchedulerBlobs { get; }
    /// <summary>Task logs: see <see cref="Logs.LogStore"/> for the blob names.</summary>
    public BlobContainerClient Logs { get; }
    /// <summary>Retention's cursors and run lease, one row (Retention/RetentionStateStore.cs).</summary>
    public TableClient Retention { get; }
    /// <summary>Per-hour rollups of ended tasks for the dashboard's charts (Stats/RollupStore.cs).</summary>
    public TableClient Rollups { get; }
    /// <summary>Failed reviewbot/config checks posted, per repository and base commit (Ingest/ConfigCheckStore.cs).</summary>
    public TableClient ConfigChecks { get; }

    public async Task CreateAllAsync(CancellationToken ct)
    {
        await Nodes.CreateIfNotExistsAsync(ct);
        await Tasks.CreateIfNotExistsAsync(ct);
        await TaskIndex.CreateIfNotExistsAsync(ct);
        await TaskActive.CreateIfNotExistsAsync(ct);
        await Deliveries.CreateIfNotExistsAsync(ct);
        await Jobs.CreateIfNotExistsAsync(ct);
        await AgentCredentials.CreateIfNotExistsAsync(ct);
        await Bindings.CreateIfNotExistsAsync(ct);
        await Responses.CreateIfNotExistsAsync(ct);
        await ChatReplays.CreateIfNotExistsAsync(ct);
        await Approvals.CreateIfNotExistsAsync(ct);
        await Results.CreateIfNotExistsAsync(cancellationToken: ct);
        await Schedule.CreateIfNotExistsAsync(ct);
        await SchedulerBlobs.CreateIfNotExistsAsync(cancellationToken: ct);
        await Logs.CreateIfNotExistsAsync(cancellationToken: ct);
        await Retention.CreateIfNotExistsAsync(ct);
        await Rollups.CreateIfNotExistsAsync(ct);
        await ConfigChecks.CreateIfNotExistsAsync(ct);
    }
}

/// <summary>Creates the tables and containers before any other hosted service starts.</summary>
public sealed class StorageInitializer(StorageAccount account) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => account.CreateAllAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
