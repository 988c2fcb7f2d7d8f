using System.Collections.Concurrent;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Logs;

/// <summary>
/// Task logs in blob storage. Key scheme, container <c>{prefix}-logs</c>:
/// <list type="bullet">
/// <item><c>{taskId}.log</c>: append blob while the task runs (text/plain; charset=utf-8), one block per stored piece.</item>
/// <item><c>{taskId}.log.gz</c>: block blob once it ended (<see cref="LogArchive"/>): gzip, Content-Encoding gzip,
///   metadata <c>length</c> (uncompressed bytes) and <c>pieces</c>.</item>
/// </list>
/// The append blob's metadata is the dedupe state every instance shares (<see cref="LogState"/>): <c>lease</c> being
/// appended, <c>next</c> agent sequence expected under it, <c>end</c> = blob length once the last claimed piece is
/// written, <c>pieces</c> claimed so far across attempts (the dashboard's sequence), <c>head</c>/<c>body</c> = the last
/// piece's server text and whether the chunk's text follows it (to redo it), <c>nl</c>, <c>capped</c>.
/// <para>Invariants. A piece is first <em>claimed</em> (metadata written If-Match the ETag it was decided on), then
/// appended with If-Append-Position-Equal its start, so a chunk is stored at most once whatever instances or resends
/// race; a piece claimed but not written (a crash, a failed append) is written by the resend of its chunk. A chunk
/// numbered beyond the next expected one is refused (<see cref="LogAppendOutcome.OutOfOrder"/>), not held: the agent sends N+1 only
/// after N was acknowledged, so a gap cannot be filled later. A new lease (the task went to another agent) starts with
/// a marker line, never mixes with the old lease's chunks. The log never exceeds
/// <see cref="LogsOptions.MaxBytesPerTask"/> (or 50,000 blocks, Azure's limit): the piece that would is replaced by
/// one notice line, and later chunks are acknowledged and dropped.</para>
/// </summary>
public sealed partial class LogStore(StorageAccount account, TaskStore tasks, LiveLogs live, IOptions<LogsOptions> options, ILogger<LogStore> log)
{
    /// <summary>Azure's limit of blocks in an append blob.</summary>
    internal const int MaxBlocks = 50_000;

    /// <summary>Largest block Azure accepts in one Append Block call.</summary>
    private const int MaxBlockBytes = 4 * 1024 * 1024;

    private const string ContentType = "text/plain; charset=utf-8";

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public LogState? State { get; set; }
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public static string RunningName(string taskId) => taskId + ".log";
    public static string ArchivedName(string taskId) => taskId + ".log.gz";

    internal AppendBlobClient Running(string taskId) => account.Logs.GetAppendBlobClient(RunningName(taskId));
    internal BlobClient Archived(string taskId) => account.Logs.GetBlobClient(ArchivedName(taskId));

    internal string Notice => $"[reviewbot] log truncated: the limit of {options.Value.MaxBytesPerTask} bytes per task was reached; later output is not stored.\n";

    /// <summary>Stores the chunk unless it is stored already; call only with a lease the caller checked is held.</summary>
    public async Task<LogAppendOutcome> AppendAsync(LogChunk chunk, CancellationToken ct)
    {
        if (_entries.Count > 10_000) Trim();
        var entry = _entries.GetOrAdd(chunk.TaskId, _ => new Entry());
        await entry.Gate.WaitAsync(ct);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var state = entry.State ??= await LoadAsync(chunk.TaskId, ct);
                try
                {
                    return await AppendAsync(state, chunk, ct);
                }
                catch (RequestFailedException e) when (e.Status is 404 or 409 or 412 && attempt < 10)
                {
                    // Another instance wrote, the blob was archived, or an append position moved: decide again.
                    entry.State = null;
                }
                catch
                {
                    entry.State = null;
                    throw;
                }
            }
        }
        finally { entry.Gate.Release(); }
    }

    /// <summary>Forgets what this instance cached about a task's log (it was archived).</summary>
    internal void Forget(string taskId) => _entries.TryRemove(taskId, out _);

    private async Task<LogAppendOutcome> AppendAsync(LogState s, LogChunk chunk, CancellationToken ct)
    {
        if (s.Ended) return LogAppendOutcome.Ignored;
        if (chunk.LeaseToken == s.Lease)
        {
            if (chunk.Sequence < s.Next - 1 || (chunk.Sequence == s.Next - 1 && s.Complete)) return LogAppendOutcome.Duplicate;
            if (chunk.Sequence == s.Next - 1)
            {
                // Claimed earlier but not (fully) written: write it now, as claimed.
                var text = s.Head + (s.Body ? chunk.Text : "");
                var bytes = Encoding.UTF8.GetBytes(text);
                await WriteAsync(chunk.TaskId, s, bytes, s.End - bytes.Length, ct);
                Publish(chunk.TaskId, s.Pieces - 1, text);
                return LogAppendOutcome.Stored;
            }
            if (s.Capped) return LogAppendOutcome.Ignored;
            if (chunk.Sequence > s.Next || !s.Complete) return LogAppendOutcome.OutOfOrder;
            return await ClaimAndWriteAsync(s, chunk, head: "", ct);
        }

        if (s.Capped) return LogAppendOutcome.Ignored;
        var task = await tasks.GetAsync(chunk.TaskId, ct);
        if (task is null || !task.State.IsHeld() || task.LeaseToken != chunk.LeaseToken) return LogAppendOutcome.Ignored; // a stale attempt
        if (chunk.Sequence != 0) return LogAppendOutcome.OutOfOrder;
        var marker = s.Lease.Length == 0 ? "" : (s.EndsWithNewline ? "" : "\n") + $"--- attempt {task.Attempt} on {task.NodeName ?? task.NodeId} ---\n";
        return await ClaimAndWriteAsync(s, chunk, marker, ct);
    }

    private async Task<LogAppendOutcome> ClaimAndWriteAsync(LogState s, LogChunk chunk, string head, CancellationToken ct)
    {
        // A piece of an old lease claimed but never written is abandoned: the new piece takes its place and number.
        var start = s.Length;
        var index = s.Complete ? s.Pieces : s.Pieces - 1;
        var text = head + chunk.Text;
        var body = true;
        var bytes = Encoding.UTF8.GetBytes(text);
        var capped = false;
        var max = options.Value.MaxBytesPerTask;
        if (start + bytes.Length + Encoding.UTF8.GetByteCount(Notice) + 1 > max || s.Blocks + (bytes.Length / MaxBlockBytes + 1) >= MaxBlocks - 1)
        {
            text = head = (s.EndsWithNewline ? "" : "\n") + Notice;
            bytes = Encoding.UTF8.GetBytes(text);
            body = false;
            capped = true;
            LogCapped(log, chunk.TaskId, max);
        }

        var claim = s.ToMetadataWith(chunk.LeaseToken, chunk.Sequence + 1, start + bytes.Length, bytes.Length > 0 ? index + 1 : s.Pieces,
            head, body, text.Length == 0 ? s.EndsWithNewline : text[^1] == '\n', capped);
        var info = await Running(chunk.TaskId).SetMetadataAsync(claim.ToMetadata(), new BlobRequestConditions { IfMatch = s.ETag }, ct);
        s.Lease = claim.Lease; s.Next = claim.Next; s.End = claim.End; s.Pieces = claim.Pieces; s.Head = claim.Head; s.Body = claim.Body;
        s.EndsWithNewline = claim.EndsWithNewline; s.Capped = claim.Capped; s.ETag = info.Value.ETag; s.Length = start;
        if (bytes.Length == 0) return LogAppendOutcome.Stored;
        await WriteAsync(chunk.TaskId, s, bytes, start, ct);
        Publish(chunk.TaskId, index, text);
        return LogAppendOutcome.Stored;
    }

    /// <summary>Appends what of <paramref name="bytes"/> (a piece claimed at <paramref name="start"/>) the blob lacks.</summary>
    private async Task WriteAsync(string taskId, LogState s, byte[] bytes, long start, CancellationToken ct)
    {
        if (s.Length < start || s.Length > start + bytes.Length)
            throw new RequestFailedException(412, $"log of {taskId}: length {s.Length} does not fit the piece claimed at {start}");
        var blob = Running(taskId);
        for (var offset = (int)(s.Length - start); offset < bytes.Length;)
        {
            var size = Math.Min(MaxBlockBytes, bytes.Length - offset);
            using var content = new MemoryStream(bytes, offset, size, writable: false);
            var appended = await blob.AppendBlockAsync(content,
                new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = start + offset } }, ct);
            offset += size;
            s.Length = start + offset;
            s.ETag = appended.Value.ETag;
            s.Blocks = appended.Value.BlobCommittedBlockCount;
        }
    }

    /// <summary>The task's log state from its append blob, creating the blob if the task has no log yet.</summary>
    private async Task<LogState> LoadAsync(string taskId, CancellationToken ct)
    {
        var blob = Running(taskId);
        try
        {
            return LogState.From((await blob.GetPropertiesAsync(cancellationToken: ct)).Value);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            if (await Archived(taskId).ExistsAsync(ct)) return LogState.Archived;
            var fresh = new LogState();
            var created = await blob.CreateAsync(new AppendBlobCreateOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = ContentType },
                Metadata = fresh.ToMetadata(),
                Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All },
            }, ct);
            fresh.ETag = created.Value.ETag;
            return fresh;
        }
    }

    private void Publish(string taskId, long sequence, string text)
    {
        try { live.OnStored(taskId, sequence, text); }
        catch (Exception e) { LogRelayFailed(log, e, taskId); }
    }

    private void Trim()
    {
        foreach (var (id, entry) in _entries)
            if (entry.Gate.CurrentCount == 1) _entries.TryRemove(id, out _);
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "Log of task {TaskId} reached {Max} bytes; later output is not stored")]
    private static partial void LogCapped(ILogger logger, string taskId, long max);

    [LoggerMessage(EventId = 801, Level = LogLevel.Error, Message = "Live relay of the log of task {TaskId} failed")]
    private static partial void LogRelayFailed(ILogger logger, Exception e, string taskId);
}

public enum LogAppendOutcome
{
    /// <summary>Written to the blob now.</summary>
    Stored,
    /// <summary>Stored before (a resend).</summary>
    Duplicate,
    /// <summary>Not stored: an old lease, the log was capped or has been archived.</summary>
    Ignored,
    /// <summary>Refused: a chunk of its lease before it is missing (a gap the agent cannot fill later).</summary>
    OutOfOrder,
}
