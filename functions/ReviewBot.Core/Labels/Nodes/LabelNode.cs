namespace ReviewBot.Core.Labels.Nodes;

/// <summary>A plain label: true when some label equals it, ignoring case and surrounding whitespace.</summary>
internal sealed class LabelNode(string label) : FilterNode
{
    public override bool Matches(IReadOnlyList<string> labels)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i].AsSpan().Trim().Equals(label, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    public override void CollectMentioned(ISet<string> mentioned) => mentioned.Add(label.ToLowerInvariant());
}
