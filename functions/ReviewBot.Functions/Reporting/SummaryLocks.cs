namespace ReviewBot.Functions.Reporting;

/// <summary>
/// One summary update per change request at a time on this instance: two linters of one pull request completing
/// together would otherwise both read the comment, and the second write would lose the first's run (or both would
/// create a comment). Instances do not share these locks; a comment created twice by two instances is reduced to the
/// oldest by the next update (the hosts delete the extra ones).
/// </summary>
internal static class SummaryLocks
{
    private static readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> Gates = new(StringComparer.Ordinal);

    public static async Task<T> RunAsync<T>(string key, Func<Task<T>> work, CancellationToken ct)
    {
        SemaphoreSlim gate;
        lock (Gates)
        {
            var (g, users) = Gates.GetValueOrDefault(key);
            gate = g ?? new SemaphoreSlim(1, 1);
            Gates[key] = (gate, users + 1);
        }
        try
        {
            await gate.WaitAsync(ct);
            try { return await work(); }
            finally { gate.Release(); }
        }
        finally
        {
            lock (Gates)
            {
                var (g, users) = Gates[key];
                if (users == 1) Gates.Remove(key);
                else Gates[key] = (g, users - 1);
            }
        }
    }
}
