using System.Collections.Concurrent;
using System.Text;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// The console output of tasks as their agents stream it, kept in memory on this instance: chunks are
/// appended in sequence order per lease (a chunk resent after a reconnect is ignored by its number), and only
/// the last <see cref="MaxBytesPerTask"/> characters of a task are kept. Durable, compressed logs in blob
/// storage are the logs pipeline's job; this is what the API shows meanwhile.
/// </summary>
public sealed class LiveLogs
{
    public const int MaxBytesPerTask = 256 * 1024;
    private const int MaxTasks = 1000;

    private sealed class Log(string lease)
    {
        public string Lease { get; set; } = lease;
        public long NextSequence { get; set; }
        public StringBuilder Text { get; } = new();
        public bool Truncated { get; set; }
        public DateTime Touched { get; set; } = DateTime.UtcNow;
    }

    private readonly ConcurrentDictionary<string, Log> _logs = new(StringComparer.Ordinal);

    /// <summary>Raised after a chunk was appended (task id, the chunk's text): live relays, tests.</summary>
    public event Action<string, string>? Appended;

    /// <summary>Appends a chunk if it is the next one of the current lease; chunks of an older lease are ignored,
    /// a newer lease (the task was reassigned) starts the log again with a marker line.</summary>
    public void Append(LogChunk chunk, string currentLease)
    {
        if (chunk.LeaseToken != currentLease) return;
        var log = _logs.GetOrAdd(chunk.TaskId, _ => new Log(currentLease));
        lock (log)
        {
            if (log.Lease != currentLease)
            {
                log.Lease = currentLease;
                log.NextSequence = 0;
                log.Text.Append("\n--- task given to another agent; its output follows ---\n");
            }
            if (chunk.Sequence != log.NextSequence) return; // duplicate (resent) or out of order: the agent resends in order
            log.NextSequence++;
            log.Text.Append(chunk.Text);
            log.Touched = DateTime.UtcNow;
            if (log.Text.Length > MaxBytesPerTask)
            {
                log.Text.Remove(0, log.Text.Length - MaxBytesPerTask);
                log.Truncated = true;
            }
        }
        Appended?.Invoke(chunk.TaskId, chunk.Text);
        if (_logs.Count > MaxTasks) EvictOldest();
    }

    /// <summary>The kept output, or null when none arrived here.</summary>
    public string? Get(string taskId)
    {
        if (!_logs.TryGetValue(taskId, out var log)) return null;
        lock (log) return (log.Truncated ? "[earlier output not kept]\n" : "") + log.Text;
    }

    private void EvictOldest()
    {
        foreach (var (id, _) in _logs.OrderBy(kv => kv.Value.Touched).Take(_logs.Count - MaxTasks))
            _logs.TryRemove(id, out _);
    }
}
