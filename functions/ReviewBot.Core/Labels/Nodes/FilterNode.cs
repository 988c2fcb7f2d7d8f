namespace ReviewBot.Core.Labels.Nodes;

/// <summary>A node of a parsed filter. Nodes are immutable after construction, so a tree is safe to share across threads.</summary>
internal abstract class FilterNode
{
    /// <summary>Evaluates against one agent's labels. Must not allocate per call where it can be avoided: it runs for every agent on every placement.</summary>
    public abstract bool Matches(IReadOnlyList<string> labels);

    /// <summary>Adds the lower-cased plain labels and set keys this node names.</summary>
    public abstract void CollectMentioned(ISet<string> mentioned);
}
