namespace ReviewBot.Core.Labels;

/// <summary>Ginkgo's set operations on the values of "key:value" labels.</summary>
internal enum SetOperation { ContainsAny, ContainsAll, ConsistsOf, IsSubsetOf, IsEmpty }

internal static class SetOperations
{
    /// <summary>Canonical spellings; matching a written name ignores case, as Ginkgo does.</summary>
    public static readonly (string Name, SetOperation Operation)[] All =
    [
        ("containsAny", SetOperation.ContainsAny),
        ("containsAll", SetOperation.ContainsAll),
        ("consistsOf", SetOperation.ConsistsOf),
        ("isSubsetOf", SetOperation.IsSubsetOf),
        ("isEmpty", SetOperation.IsEmpty),
    ];

    public const string Expected = "containsAny, containsAll, consistsOf, isSubsetOf or isEmpty";

    public static bool TryFind(ReadOnlySpan<char> written, out string name, out SetOperation operation)
    {
        foreach (var (candidate, op) in All)
        {
            if (written.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                (name, operation) = (candidate, op);
                return true;
            }
        }
        (name, operation) = ("", default);
        return false;
    }
}
