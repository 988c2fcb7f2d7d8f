namespace ReviewBot.Functions.Routing.LabelFilters;

/// <summary>
/// A parsed label filter in the Ginkgo label-filter language (DESIGN §3). Immutable, thread-safe.
/// STUB: the implementation is being written; the public surface below is the contract.
/// </summary>
public sealed class LabelFilter
{
    /// <summary>The filter that matches everything (an empty or whitespace-only text).</summary>
    public static LabelFilter Empty { get; } = new();

    private LabelFilter() { }

    /// <summary>True for <see cref="Empty"/>.</summary>
    public bool IsEmpty => true;

    /// <summary>The text as given (trimmed); "" for <see cref="Empty"/>.</summary>
    public string Text => "";

    /// <summary>Plain labels and keys (of key:value labels) the filter names, lower-cased. Used by best-fit routing.</summary>
    public IReadOnlySet<string> MentionedLabels => new HashSet<string>();

    /// <summary>Parses <paramref name="text"/>; throws <see cref="LabelFilterSyntaxException"/> with the 0-based position.</summary>
    public static LabelFilter Parse(string? text) => throw new NotImplementedException();

    /// <summary>A YAML label list [a, b] means a &amp;&amp; b.</summary>
    public static LabelFilter FromList(IEnumerable<string> labels) => throw new NotImplementedException();

    public bool Matches(IEnumerable<string> labels) => throw new NotImplementedException();

    public override string ToString() => Text;
}

public sealed class LabelFilterSyntaxException(string message, int position)
    : FormatException($"{message} (at position {position})")
{
    /// <summary>0-based index into the filter text where the error is.</summary>
    public int Position { get; } = position;

    /// <summary>What is wrong, without the position.</summary>
    public string Detail { get; } = message;
}
