namespace ReviewBot.Testing;

public static class Timeouts
{
    /// <summary>Bound for anything that should take well under a second.</summary>
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    /// <summary>Bound for work that starts processes, clones and runs linters.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout, string what)
    {
        try { return await task.WaitAsync(timeout); }
        catch (TimeoutException) { throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}."); }
    }

    public static async Task WithTimeout(this Task task, TimeSpan timeout, string what)
    {
        try { await task.WaitAsync(timeout); }
        catch (TimeoutException) { throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}."); }
    }
}
