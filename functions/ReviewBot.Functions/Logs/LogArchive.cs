using System.Globalization;
using System.IO.Compression;
using System.Threading.Channels;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Logs;

/// <summary>
/// Compresses the log of every ended task: <c>{taskId}.log</c> (append blob) becomes <c>{taskId}.log.gz</c>.
/// Triggered by this instance's terminal task changes, plus a sweep at start and every
/// <see cref="LogsOptions.ArchiveSweepInterval"/> for ended tasks whose append blob is still there (the instance that
/// ended them stopped first). Order: the gzip blob is written in full, then the append blob is deleted If-Match the
/// ETag that was read, so at every instant one of the two holds the whole log; a chunk appended meanwhile fails the
/// delete and the archive is made again. The sweep lists the container: retention deletes a task's blobs with the task
/// (<see cref="LogStore.DeleteAsync"/>), so the list holds the tasks of the retention age, not history.
/// </summary>
public sealed partial class LogArchive(StorageAccount account, TaskStore tasks, LogStore store, IOptions<LogsOptions> options, TimeProvider time,
    ILogger<LogArchive> log) : BackgroundService
{
    private readonly Channel<string> _ended = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Raised with the task id after its log was archived (tests, metrics).</summary>
    public event Action<string>? Archived;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        tasks.Changed += OnChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        tasks.Changed -= OnChanged;
        await base.StopAsync(cancellationToken);
    }

    private void OnChanged(ReviewTask t)
    {
        if (t.State.IsTerminal()) _ended.Writer.TryWrite(t.Id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweep = Task.Run(() => SweepLoopAsync(stoppingToken), stoppingToken);
        try
        {
            await foreach (var id in _ended.Reader.ReadAllAsync(stoppingToken))
                await TryArchiveAsync(id, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is left is archived by the next start's sweep.
        }
        await sweep;
    }

    private async Task SweepLoopAsync(CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.ArchiveSweepInterval, time);
            do
            {
                try { await SweepAsync(ct); }
                catch (Exception e) when (e is not OperationCanceledException) { LogSweepFailed(log, e); }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Archives the append blobs of tasks that have ended (or no longer exist).</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        await foreach (var item in account.Logs.GetBlobsAsync(cancellationToken: ct))
        {
            if (!item.Name.EndsWith(".log", StringComparison.Ordinal)) continue;
            var id = item.Name[..^".log".Length];
            var task = await tasks.GetAsync(id, ct);
            if (task is null || task.State.IsTerminal()) await TryArchiveAsync(id, ct);
        }
    }

    private async Task TryArchiveAsync(string taskId, CancellationToken ct)
    {
        try { await ArchiveAsync(taskId, ct); }
        catch (Exception e) when (e is not OperationCanceledException) { LogArchiveFailed(log, e, taskId); }
    }

    /// <summary>Compresses the task's append blob into its gzip blob and deletes it; false when there was nothing to archive.</summary>
    public async Task<bool> ArchiveAsync(string taskId, CancellationToken ct)
    {
        var running = store.Running(taskId);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            BlobProperties props;
            try { props = (await running.GetPropertiesAsync(cancellationToken: ct)).Value; }
            catch (RequestFailedException e) when (e.Status == 404) { return false; }
            var state = LogState.From(props);
            await WriteGzipAsync(taskId, running, props, state.VisiblePieces, ct);
            try
            {
                await running.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = props.ETag }, ct);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                continue; // a chunk landed after the read: archive again with it
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Another instance archived it at the same time, from the same content.
            }
            store.Forget(taskId);
            LogArchived(log, taskId, props.ContentLength);
            Archived?.Invoke(taskId);
            return true;
        }
        throw new InvalidOperationException($"the log of task {taskId} kept changing while it was archived");
    }

    private async Task WriteGzipAsync(string taskId, AppendBlobClient running, BlobProperties props, long pieces, CancellationToken ct)
    {
        var target = account.Logs.GetBlockBlobClient(LogStore.ArchivedName(taskId));
        var metadata = new Dictionary<string, string>
        {
            ["length"] = props.ContentLength.ToString(CultureInfo.InvariantCulture),
            ["pieces"] = pieces.ToString(CultureInfo.InvariantCulture),
        };
        var source = await running.DownloadStreamingAsync(new BlobDownloadOptions
        {
            Range = new HttpRange(0, props.ContentLength),
            Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = props.ETag },
        }, ct);
        await using var content = source.Value.Content;
        // Compressed to a temporary file first and uploaded in one go: a blob opened for writing exists, empty, with
        // its metadata until it is committed, and a reader finding it then would promise `length` bytes and send none.
        await using var compressed = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            await content.CopyToAsync(gzip, ct);
        compressed.Position = 0;
        await target.UploadAsync(compressed, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8", ContentEncoding = "gzip" },
            Metadata = metadata,
        }, ct);
    }

    [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Log of task {TaskId} archived ({Bytes} bytes before compression)")]
    private static partial void LogArchived(ILogger logger, string taskId, long bytes);

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "Log of task {TaskId} not archived; the next sweep tries again")]
    private static partial void LogArchiveFailed(ILogger logger, Exception e, string taskId);

    [LoggerMessage(EventId = 804, Level = LogLevel.Warning, Message = "Sweep for logs of ended tasks failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);
}
