namespace ReviewBot.Tests.Architecture.Fixture;

// Types whose only reference to Used hides where the compiler moves code: a closure class, a state machine, an
// attribute blob. FolderGraphTests checks that TypeReferences finds each and charges it to the outermost type.

internal sealed class Used
{
    public static int Value() => 1;
}

internal static class UsesInALambda
{
    public static Func<int> Make() => () => Used.Value();
}

internal static class UsesInAnAsyncMethod
{
    public static async Task<int> RunAsync()
    {
        await Task.Yield();
        return Used.Value();
    }
}

[AttributeUsage(AttributeTargets.Class)]
internal sealed class NamesAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}

[Names(typeof(IEnumerable<Used[]>))]
internal sealed class UsesInATypeofArgument;
