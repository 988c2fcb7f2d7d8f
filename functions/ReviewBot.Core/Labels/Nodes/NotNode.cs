namespace ReviewBot.Core.Labels.Nodes;

internal sealed class NotNode(FilterNode operand) : FilterNode
{
    public override bool Matches(IReadOnlyList<string> labels) => !operand.Matches(labels);

    public override void CollectMentioned(ISet<string> mentioned) => operand.CollectMentioned(mentioned);
}
