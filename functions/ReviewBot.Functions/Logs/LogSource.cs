using Azure;
using Azure.Storage.Blobs.Specialized;

namespace ReviewBot.Functions.Logs;

public enum LogKind
{
    /// <summary>The task has no output (yet).</summary>
    None,
    /// <summary>The task runs: the append blob, plain text.</summary>
    Running,
    /// <summary>The task ended: the gzip blob.</summary>
    Archived,
}

/// <summary>Where a task's log is at one instant, and its size then.</summary>
/// <param name="Length">Uncompressed bytes readable.</param>
/// <param name="StoredLength">Bytes of the blob itself (the compressed size when archived).</param>
/// <param name="Pieces">Pieces in those bytes: the sequence of the next live piece.</param>
public sealed record LogSource(LogKind Kind, BlobBaseClient? Blob, long Length, long StoredLength, long Pieces, ETag ETag, DateTimeOffset? LastModified)
{
    public static LogSource Empty { get; } = new(LogKind.None, null, 0, 0, 0, default, null);
}
