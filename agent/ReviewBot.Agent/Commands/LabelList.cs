namespace ReviewBot.Agent.Commands;

/// <summary>Labels as the agent announces them.</summary>
internal static class LabelList
{
    /// <summary>
    /// Splits comma-separated values, trims each label, drops empty ones and removes duplicates
    /// ignoring case (the first spelling wins). <c>key:value</c> labels are kept as written, with
    /// the blanks around the colon removed (<c>os : linux</c> becomes <c>os:linux</c>).
    /// </summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string?> values)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var labels = new List<string>();
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var label = NormalizeOne(part);
                if (label.Length > 0 && seen.Add(label))
                {
                    labels.Add(label);
                }
            }
        }

        return labels;
    }

    /// <summary>Characters the label-filter language reserves (Ginkgo rejects them in labels too).</summary>
    private static readonly char[] Reserved = ['&', '|', '!', '(', ')', '/', '{', '}'];

    /// <summary>Labels a label filter could never select, with the reason; empty when all are fine.</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<string> labels) =>
        labels.Where(l => l.IndexOfAny(Reserved) >= 0)
            .Select(l => $"label '{l}' contains one of the reserved characters & | ! ( ) / {{ }}")
            .ToList();

    private static string NormalizeOne(string label)
    {
        var colon = label.IndexOf(':');
        if (colon < 0)
        {
            return label;
        }

        var key = label[..colon].Trim();
        var value = label[(colon + 1)..].Trim();
        return key.Length == 0 && value.Length == 0 ? "" : $"{key}:{value}";
    }
}
