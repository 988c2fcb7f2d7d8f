namespace ReviewBot.Bench.Harness;

/// <summary>
/// Where scenarios print: the console, or (inside a test, for the flow that called <see cref="To"/>) a writer of the
/// caller's, so that scenarios run side by side in one process do not mix their output and a test can show it.
/// </summary>
public static class BenchOutput
{
    private static readonly AsyncLocal<TextWriter?> Current = new();

    public static TextWriter Out => Current.Value ?? Console.Out;

    /// <summary>Sends this async flow's output to <paramref name="writer"/> until disposed.</summary>
    public static IDisposable To(TextWriter writer)
    {
        var previous = Current.Value;
        Current.Value = TextWriter.Synchronized(writer);
        return new Restore(previous);
    }

    private sealed class Restore(TextWriter? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
