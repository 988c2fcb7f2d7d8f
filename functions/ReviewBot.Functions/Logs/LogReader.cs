using System.Globalization;
using System.IO.Compression;
using Azure;
using Azure.Storage.Blobs.Models;

namespace ReviewBot.Functions.Logs;

/// <summary>
/// Reads task logs for the API and the dashboard, from the gzip blob once archived or the append blob while running.
/// A running log is read by byte ranges straight from the blob. An archived one is decompressed from the start for
/// anything but the whole compressed body: a range or tail of an archived log costs reading and inflating the log up
/// to that point (at most <see cref="LogsOptions.MaxBytesPerTask"/>; roughly 100–300 MB/s of inflate per core).
/// </summary>
public sealed class LogReader(LogStore store)
{
    /// <summary>Most text a dashboard snapshot carries.</summary>
    public const int SnapshotBytes = 64 * 1024;

    private const int Window = 64 * 1024;

    /// <summary>Where the log is now. The archive writes the gzip blob before it deletes the append blob, so looking
    /// for the gzip blob, then the append blob, then the gzip blob again never misses an existing log.</summary>
    public async Task<LogSource> OpenAsync(string taskId, CancellationToken ct)
    {
        if (await ArchivedAsync(taskId, ct) is { } archived) return archived;
        var running = store.Running(taskId);
        try
        {
            var props = (await running.GetPropertiesAsync(cancellationToken: ct)).Value;
            var state = LogState.From(props);
            return new LogSource(LogKind.Running, running,
                props.ContentLength, props.ContentLength, state.VisiblePieces, props.ETag, props.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return await ArchivedAsync(taskId, ct) ?? LogSource.Empty;
        }
    }

    private async Task<LogSource?> ArchivedAsync(string taskId, CancellationToken ct)
    {
        var blob = store.Archived(taskId);
        try
        {
            var props = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
            long Meta(string key) => props.Metadata.TryGetValue(key, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            return new LogSource(LogKind.Archived, blob, Meta("length"), props.ContentLength, Meta("pieces"), props.ETag, props.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Copies the gzip body as stored (archived logs only).</summary>
    public async Task CopyCompressedAsync(LogSource source, Stream destination, CancellationToken ct)
    {
        var download = await source.Blob!.DownloadStreamingAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = source.ETag } }, ct);
        await using var body = download.Value.Content;
        await body.CopyToAsync(destination, ct);
    }

    /// <summary>Copies <paramref name="count"/> uncompressed bytes from <paramref name="offset"/>.</summary>
    public async Task CopyTextAsync(LogSource source, long offset, long count, Stream destination, CancellationToken ct)
    {
        if (count <= 0 || source.Kind == LogKind.None) return;
        if (source.Kind == LogKind.Running)
        {
            Response<BlobDownloadStreamingResult> download;
            try { download = await source.Blob!.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset, count) }, ct); }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The task ended and its log was archived between opening and reading: the archive holds the same
                // bytes (it is written before the append blob goes), so the promised range is served from it.
                if (await ArchivedAsync(source.Blob!.Name[..^".log".Length], ct) is not { } archived) throw;
                await CopyTextAsync(archived, offset, count, destination, ct);
                return;
            }
            await using var body = download.Value.Content;
            await body.CopyToAsync(destination, ct);
            return;
        }
        await using var text = await InflateAsync(source, ct);
        var buffer = new byte[81920];
        for (var skipped = 0L; skipped < offset;)
        {
            var read = await text.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, offset - skipped)), ct);
            if (read == 0) return;
            skipped += read;
        }
        for (var left = count; left > 0;)
        {
            var read = await text.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
            if (read == 0) return;
            await destination.WriteAsync(buffer.AsMemory(0, read), ct);
            left -= read;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines (a final newline ends the last line, it does not start one).</summary>
    public async Task<byte[]> TailAsync(LogSource source, int lines, CancellationToken ct)
    {
        if (source.Kind == LogKind.None || source.Length == 0) return [];
        if (source.Kind == LogKind.Running) return await TailRunningAsync(source, lines, ct);
        await using var text = await InflateAsync(source, ct);
        return await LogText.TailAsync(text, lines, ct);
    }

    /// <summary>The end of the log (at most <see cref="SnapshotBytes"/>, from a line start when cut) for a dashboard.</summary>
    public async Task<LogSnapshotText> SnapshotAsync(string taskId, CancellationToken ct)
    {
        var source = await OpenAsync(taskId, ct);
        var start = Math.Max(0, source.Length - SnapshotBytes);
        using var buffer = new MemoryStream();
        await CopyTextAsync(source, start, source.Length - start, buffer, ct);
        var (text, cut) = LogText.FromLineStart(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), start > 0);
        return new LogSnapshotText(text, source.Pieces, cut);
    }

    private async Task<byte[]> TailRunningAsync(LogSource source, int lines, CancellationToken ct)
    {
        var end = source.Length;
        var windows = new List<byte[]>();
        var position = end;
        var found = 0;
        while (position > 0)
        {
            var size = (int)Math.Min(Window, position);
            position -= size;
            using var window = new MemoryStream(size);
            await CopyTextAsync(source, position, size, window, ct);
            var bytes = window.ToArray();
            windows.Insert(0, bytes);
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                if (bytes[i] != (byte)'\n' || position + i == end - 1) continue;
                if (++found == lines) return Concat(windows, skip: i + 1);
            }
        }
        return Concat(windows, skip: 0);
    }

    private static byte[] Concat(List<byte[]> windows, int skip)
    {
        var result = new byte[windows.Sum(w => w.Length) - skip];
        var at = 0;
        for (var i = 0; i < windows.Count; i++)
        {
            var part = i == 0 ? windows[0].AsSpan(skip) : windows[i];
            part.CopyTo(result.AsSpan(at));
            at += part.Length;
        }
        return result;
    }

    private static async Task<Stream> InflateAsync(LogSource source, CancellationToken ct)
    {
        var download = await source.Blob!.DownloadStreamingAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = source.ETag } }, ct);
        return new GZipStream(download.Value.Content, CompressionMode.Decompress, leaveOpen: false);
    }
}

/// <param name="Text">The end of the log.</param>
/// <param name="NextSequence">Sequence of the first live piece not in <paramref name="Text"/>.</param>
/// <param name="Truncated">Earlier output exists that <paramref name="Text"/> leaves out.</param>
public sealed record LogSnapshotText(string Text, long NextSequence, bool Truncated);
