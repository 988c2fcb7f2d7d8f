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
        var tables = new TableServiceClient(o.ConnectionString);
        var blobs = new BlobServiceClient(o.ConnectionString);
        Nodes = tables.GetTableClient(o.Prefix + "nodes");
        Tasks = tables.GetTableClient(o.Prefix + "tasks");
        Deliveries = tables.GetTableClient(o.Prefix + "deliveries");
        Jobs = tables.GetTableClient(o.Prefix + "jobs");
        AgentCredentials = tables.GetTableClient(o.Prefix + "agentcredentials");
        Bindings = tables.GetTableClient(o.Prefix + "bindings");
        Responses = tables.GetTableClient(o.Prefix + "responses");
        ChatReplays = tables.GetTableClient(o.Prefix + "chatreplays");
        Approvals = tables.GetTableClient(o.Prefix + "approvals");
        Results = blobs.GetBlobContainerClient(o.Prefix + "-results");
        Schedule = tables.GetTableClient(o.Prefix + "schedule");
        SchedulerBlobs = blobs.GetBlobContainerClient(o.Prefix + "-scheduler");
        Logs = blobs.GetBlobContainerClient(o.Prefix + "-logs");
        Retention = tables.GetTableClient(o.Prefix + "retention");
    }

    public TableClient Nodes { get; }
    public TableClient Tasks { get; }
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

    public async Task CreateAllAsync(CancellationToken ct)
    {
        await Nodes.CreateIfNotExistsAsync(ct);
        await Tasks.CreateIfNotExistsAsync(ct);
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
    }
}

/// <summary>Creates the tables and containers before any other hosted service starts.</summary>
public sealed class StorageInitializer(StorageAccount account) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => account.CreateAllAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
