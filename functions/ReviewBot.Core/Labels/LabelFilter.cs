using System.Collections.Frozen;
using ReviewBot.Core.Labels.Nodes;

namespace ReviewBot.Core.Labels;

/// <summary>
/// A parsed label filter in the Ginkgo label-filter language (DESIGN §3). Immutable and thread-safe: parse once
/// (regexes are compiled then), then call <see cref="Matches"/> from any thread.
/// </summary>
public sealed class LabelFilter
{
    /// <summary>The filter that matches everything (an empty or whitespace-only text).</summary>
    public static LabelFilter Empty { get; } = new("", root: null);

    // Null only for Empty.
    private readonly FilterNode? _root;

    private LabelFilter(string text, FilterNode? root)
    {
        Text = text;
        _root = root;
        var mentioned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        root?.CollectMentioned(mentioned);
        MentionedLabels = mentioned.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>True for <see cref="Empty"/>.</summary>
    public bool IsEmpty => _root is null;

    /// <summary>The text as given (trimmed); "" for <see cref="Empty"/>.</summary>
    public string Text { get; }

    /// <summary>
    /// Plain labels and keys (of key:value labels) the filter names, lower-cased. Used by best-fit routing.
    /// Negated names count too; regexes name nothing. The set compares ignoring case.
    /// </summary>
    public IReadOnlySet<string> MentionedLabels { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="LabelFilterSyntaxException"/> with the 0-based position.</summary>
    /// <remarks>Positions index into <paramref name="text"/> as given, before trimming.</remarks>
    public static LabelFilter Parse(string? text)
        => string.IsNullOrWhiteSpace(text) ? Empty : new LabelFilter(text.Trim(), LabelFilterParser.Parse(text));

    /// <summary>A YAML label list [a, b] means a &amp;&amp; b.</summary>
    /// <remarks>
    /// Each item is parsed as a filter on its own; blank items are ignored. A syntax error keeps the position within
    /// its item and names the item (0-based) in <see cref="LabelFilterSyntaxException.Detail"/>.
    /// </remarks>
    public static LabelFilter FromList(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var items = new List<LabelFilter>();
        int index = 0;
        foreach (var item in labels)
        {
            items.Add(ParseListItem(item, index++));
        }
        items.RemoveAll(item => item.IsEmpty);
        return items.Count switch
        {
            0 => Empty,
            1 => items[0],
            _ => new LabelFilter(
                string.Join(" && ", items.Select(item => item._root is OrNode ? $"({item.Text})" : item.Text)),
                new AndNode([.. items.Select(item => item._root!)])),
        };
    }

    /// <summary>The text of filters that must all match: each non-blank one in parentheses, joined with &amp;&amp;
    /// (one alone is returned as is). How levels of configuration and the trust policy's filter combine.</summary>
    public static string AndText(params IEnumerable<string?> texts)
    {
        var parts = texts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim()).ToList();
        return parts.Count switch
        {
            0 => "",
            1 => parts[0],
            _ => string.Join(" && ", parts.Select(p => $"({p})")),
        };
    }

    public bool Matches(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (_root is null)
        {
            return true;
        }
        return _root.Matches(labels as IReadOnlyList<string> ?? labels.ToArray());
    }

    public override string ToString() => Text;

    private static LabelFilter ParseListItem(string? item, int index)
    {
        try
        {
            return Parse(item);
        }
        catch (LabelFilterSyntaxException ex)
        {
            throw new LabelFilterSyntaxException($"list item {index}: {ex.Detail}", ex.Position);
        }
    }
}
