using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

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
        Bindings = tables.GetTableClient(o.Prefix + "bindings");
        Responses = tables.GetTableClient(o.Prefix + "responses");
        Results = blobs.GetBlobContainerClient(o.Prefix + "-results");
    }

    public TableClient Nodes { get; }
    public TableClient Tasks { get; }
    public TableClient Deliveries { get; }
    /// <summary>Git login ↔ chat user, per platform (Reminders/Bindings/BindingStore.cs).</summary>
    public TableClient Bindings { get; }
    /// <summary>Reminder responses per pull request and person (Reminders/Bindings/ResponseStore.cs).</summary>
    public TableClient Responses { get; }
    public BlobContainerClient Results { get; }

    public async Task CreateAllAsync(CancellationToken ct)
    {
        await Nodes.CreateIfNotExistsAsync(ct);
        await Tasks.CreateIfNotExistsAsync(ct);
        await Deliveries.CreateIfNotExistsAsync(ct);
        await Bindings.CreateIfNotExistsAsync(ct);
        await Responses.CreateIfNotExistsAsync(ct);
        await Results.CreateIfNotExistsAsync(cancellationToken: ct);
    }
}

/// <summary>Creates the tables and containers before any other hosted service starts.</summary>
public sealed class StorageInitializer(StorageAccount account) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => account.CreateAllAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
