namespace ReviewBot.Tests.Agent.TestSupport;

/// <summary>Every await in the agent tests is bounded: a hang fails the test instead of the run.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    public static Task Within(this Task task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Default);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Default);

    /// <summary>Polls a condition the OS changes on its own (a process disappearing), with a deadline.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }
}
