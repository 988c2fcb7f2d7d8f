namespace ReviewBot.Agent.Logs;

/// <summary>Limits of one task's console stream.</summary>
internal sealed record LogStreamerOptions
{
    /// <summary>A chunk is sent at least this often while there is output.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Largest chunk text, in UTF-8 bytes.</summary>
    public int MaxChunkBytes { get; init; } = 32 * 1024;

    /// <summary>Output waiting to be sent (the server is slow or unreachable) beyond this is dropped, oldest first, with a notice.</summary>
    public int MaxPendingChars { get; init; } = 4 * 1024 * 1024;

    /// <summary>After this much output the stream stops, with a notice; the task itself goes on.</summary>
    public long MaxTotalChars { get; init; } = 256L * 1024 * 1024;

    /// <summary>Attempts per chunk while the connection is up; then streaming stops for this task.</summary>
    public int MaxAttemptsPerChunk { get; init; } = 5;
}
