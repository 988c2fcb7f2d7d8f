namespace ReviewBot.Core.Labels.Nodes;

/// <summary>
/// "key: op {values}" over V = the values of the agent's "key:value" labels (Ginkgo's labelSetFor): containsAny = V ∩ S ≠ ∅,
/// containsAll = S ⊆ V, isSubsetOf = V ⊆ S (true when V is empty), consistsOf = V = S, isEmpty = V = ∅.
/// Keys and values compare ignoring case; S is distinct and lower-cased by the lexer.
/// </summary>
internal sealed class SetNode(SetSpec spec) : FilterNode
{
    public override bool Matches(IReadOnlyList<string> labels) => spec.Operation switch
    {
        SetOperation.ContainsAny => ContainsAny(labels),
        SetOperation.ContainsAll => ContainsAll(labels),
        SetOperation.IsSubsetOf => IsSubsetOf(labels),
        SetOperation.ConsistsOf => IsSubsetOf(labels) && ContainsAll(labels),
        SetOperation.IsEmpty => !HasAnyValue(labels),
        _ => throw new InvalidOperationException($"unhandled set operation {spec.Operation}"),
    };

    public override void CollectMentioned(ISet<string> mentioned) => mentioned.Add(spec.Key);

    private bool ContainsAny(IReadOnlyList<string> labels)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (KeyValueLabel.TryGetValue(labels[i], spec.Key, out var value) && IsExpected(value))
            {
                return true;
            }
        }
        return false;
    }

    private bool ContainsAll(IReadOnlyList<string> labels)
    {
        foreach (var expected in spec.Values)
        {
            if (!HasValue(labels, expected))
            {
                return false;
            }
        }
        return true;
    }

    private bool IsSubsetOf(IReadOnlyList<string> labels)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (KeyValueLabel.TryGetValue(labels[i], spec.Key, out var value) && !IsExpected(value))
            {
                return false;
            }
        }
        return true;
    }

    private bool HasAnyValue(IReadOnlyList<string> labels)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (KeyValueLabel.TryGetValue(labels[i], spec.Key, out _))
            {
                return true;
            }
        }
        return false;
    }

    private bool HasValue(IReadOnlyList<string> labels, string expected)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (KeyValueLabel.TryGetValue(labels[i], spec.Key, out var value) && value.Equals(expected, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private bool IsExpected(ReadOnlySpan<char> value)
    {
        foreach (var expected in spec.Values)
        {
            if (value.Equals(expected, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
