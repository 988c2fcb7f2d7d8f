namespace ReviewBot.Core.Labels.Nodes;

/// <summary>Some operand matches ('||' or ','). N-ary, short-circuits left to right.</summary>
internal sealed class OrNode(FilterNode[] operands) : FilterNode
{
    public override bool Matches(IReadOnlyList<string> labels)
    {
        foreach (var operand in operands)
        {
            if (operand.Matches(labels))
            {
                return true;
            }
        }
        return false;
    }

    public override void CollectMentioned(ISet<string> mentioned)
    {
        foreach (var operand in operands)
        {
            operand.CollectMentioned(mentioned);
        }
    }
}
