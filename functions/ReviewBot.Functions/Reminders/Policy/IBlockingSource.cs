namespace ReviewBot.Functions.Reminders.Policy;

/// <summary>
/// Who blocks which open pull request, for the configured repositories. The analysis (Reminders/Analysis) provides it; a
/// reminder run and the chat command <c>status</c> read through this one method.
/// </summary>
public interface IBlockingSource
{
    /// <summary>One <see cref="Blocking"/> per open pull request of <paramref name="repos"/> (host "github" or "gitlab", "owner/name").</summary>
    Task<IReadOnlyList<Blocking>> AnalyzeAsync(IEnumerable<(string Host, string Repository)> repos, CancellationToken ct);
}

/// <summary>What runs until an analysis is registered: no pull requests, and a warning each time.</summary>
internal sealed class NoBlockingSource(ILogger<NoBlockingSource> log) : IBlockingSource
{
    public Task<IReadOnlyList<Blocking>> AnalyzeAsync(IEnumerable<(string Host, string Repository)> repos, CancellationToken ct)
    {
        RemindersLog.NoBlockingSource(log);
        return Task.FromResult<IReadOnlyList<Blocking>>([]);
    }
}
