namespace ReviewBot.Core.Labels;

/// <summary>Reads "key:value" labels as Ginkgo does: split at the first ':', trim both sides, compare ignoring case.</summary>
internal static class KeyValueLabel
{
    /// <summary>True when <paramref name="label"/> is "key:value" for <paramref name="key"/>; <paramref name="value"/> is then the trimmed value (possibly empty).</summary>
    public static bool TryGetValue(string label, string key, out ReadOnlySpan<char> value)
    {
        int colon = label.IndexOf(':');
        if (colon >= 0 && label.AsSpan(0, colon).Trim().Equals(key, StringComparison.OrdinalIgnoreCase))
        {
            value = label.AsSpan(colon + 1).Trim();
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>The trimmed key of a "key:value" label, or null for a plain label.</summary>
    public static string? KeyOf(string label)
    {
        int colon = label.IndexOf(':');
        return colon < 0 ? null : label[..colon].Trim();
    }
}
