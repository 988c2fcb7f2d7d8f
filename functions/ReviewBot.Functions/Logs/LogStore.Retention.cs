using Azure.Storage.Blobs.Models;

namespace ReviewBot.Functions.Logs;

/// <summary>The log store's part of retention: a deleted task's log goes with it.</summary>
public sealed partial class LogStore
{
    /// <summary>Deletes both blobs a task's log may be in (<see cref="RunningName"/>, <see cref="ArchivedName"/>); call
    /// only for a task that has ended (nothing appends to it any more).</summary>
    public async Task DeleteAsync(string taskId, CancellationToken ct)
    {
        await account.Logs.GetBlobClient(RunningName(taskId)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);
        await account.Logs.GetBlobClient(ArchivedName(taskId)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);
        Forget(taskId);
    }
}
