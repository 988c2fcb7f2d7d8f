namespace ReviewBot.Functions.Hosting.Diagnostics;

/// <summary>
/// Bounds the values of one metric tag (repository, agent): the first <c>max</c> distinct values this instance sees keep
/// their name, every later one is reported as <see cref="Other"/>, so a time series database never holds more than
/// <c>max + 2</c> series per other tag combination. An empty value is <see cref="None"/>. Thread-safe; the set only grows
/// until the process restarts (then the first ones seen win again).
/// </summary>
public sealed class TagCap(int max)
{
    public const string Other = "other";
    public const string None = "none";

    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private volatile HashSet<string> _snapshot = new(StringComparer.Ordinal);

    public int Max => max;

    /// <summary>The value to put on the tag for <paramref name="value"/>.</summary>
    public string Of(string? value)
    {
        if (string.IsNullOrEmpty(value)) return None;
        if (_snapshot.Contains(value)) return value;
        lock (_known)
        {
            if (_known.Contains(value)) return value;
            if (_known.Count >= max) return Other;
            _known.Add(value);
            _snapshot = new HashSet<string>(_known, StringComparer.Ordinal);
            return value;
        }
    }
}
