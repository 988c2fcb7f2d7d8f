namespace ReviewBot.Core.Labels.Nodes;

/// <summary>All operands match. N-ary (a chain of '&amp;&amp;' is one node), short-circuits left to right.</summary>
internal sealed class AndNode(FilterNode[] operands) : FilterNode
{
    public override bool Matches(IReadOnlyList<string> labels)
    {
        foreach (var operand in operands)
        {
            if (!operand.Matches(labels))
            {
                return false;
            }
        }
        return true;
    }

    public override void CollectMentioned(ISet<string> mentioned)
    {
        foreach (var operand in operands)
        {
            operand.CollectMentioned(mentioned);
        }
    }
}
