using System.Collections.Concurrent;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Tests.Tasks.Fakes;

/// <summary>GitHub's clone credentials as the dispatcher sees them: a token from the cache at once, or, for the tasks
/// named in <see cref="Pending"/>, only when the test completes their fetch.</summary>
internal sealed class FakeSourceResolver : ISourceResolver
{
    public string Host => CodeHostNames.GitHub;
    public string? TokenUser => null;

    /// <summary>Task ids whose token fetch has not come back yet.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource<string?>> Pending { get; } = new();

    /// <summary>Task ids a token was asked for.</summary>
    public ConcurrentQueue<string> Asked { get; } = new();

    public ValueTask<string?> TokenForAsync(ReviewTask task, CancellationToken ct)
    {
        Asked.Enqueue(task.Id);
        return Pending.TryGetValue(task.Id, out var fetch) ? new(fetch.Task) : ValueTask.FromResult<string?>("ghs_cached");
    }
}
