namespace ReviewBot.Functions.Logs;

/// <summary>
/// Log text as this instance stores it: raised by <see cref="Logs.LogStore"/> after each piece is in the task's blob,
/// in the log's order per task (pieces of one task are stored one at a time). The blob is the truth; this is for the
/// live relay to browsers (<see cref="Dashboard.DashboardRelay"/>) and for tests awaiting output.
/// Handlers run on the storing path: they must be quick and must not throw.
/// </summary>
public sealed class LiveLogs
{
    /// <summary>Raised with the task id and the text stored.</summary>
    public event Action<string, string>? Appended;

    /// <summary>Raised with the task id, the piece's sequence in the task's log (0, 1, 2… across attempts) and its text.</summary>
    public event Action<string, long, string>? Stored;

    internal void OnStored(string taskId, long sequence, string text)
    {
        Stored?.Invoke(taskId, sequence, text);
        Appended?.Invoke(taskId, text);
    }
}
