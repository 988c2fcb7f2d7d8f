using System.Collections.Concurrent;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// The configuration that applies to a change request: the repository's <see cref="RepositoryConfig.FileName"/> at the
/// change request's <em>base</em> commit laid over the server's, so a pull request cannot change what checks it (its
/// edit of the file takes effect once merged). Read through the repository's <see cref="IRepositoryReader"/> and kept
/// per (repository, base commit): a commit's file never changes. Without a base commit, a reader or the file, the
/// server's configuration applies.
/// </summary>
public sealed partial class RepositoryConfigs(ReviewConfig config, LinterRuns runs, ILogger<RepositoryConfigs> log)
{
    /// <summary>Entries kept before the cache starts afresh (each is a few linters; commits are many).</summary>
    private const int MaxEntries = 2048;

    private readonly ConcurrentDictionary<(string Repository, string Sha), RepositoryConfig> _cache = new();

    public async Task<RepositoryConfig> ForAsync(ChangeRequest change, CancellationToken ct)
    {
        if (change.BaseSha is not { } sha || runs.ReaderFor(change) is not { } reader) return RepositoryConfig.ServerOnly(config, change.Repository);
        var key = (change.Repository.ToLowerInvariant(), sha.ToLowerInvariant());
        if (_cache.TryGetValue(key, out var known)) return known;

        var file = await reader.ReadFileAsync(change, RepositoryConfig.FileName, sha, ct);
        if (file is null)
        {
            // Not cached: the next push tries again.
            LogUnreadable(log, RepositoryConfig.FileName, change.Name, sha);
            return RepositoryConfig.ServerOnly(config, change.Repository);
        }

        var result = file.Text is { } text ? RepositoryConfig.Parse(config, change.Repository, text) : RepositoryConfig.ServerOnly(config, change.Repository);
        if (!result.Applies) LogInvalid(log, RepositoryConfig.FileName, change.Name, sha, string.Join("; ", result.Errors));
        if (_cache.Count >= MaxEntries) _cache.Clear();
        _cache[key] = result;
        return result;
    }

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "{File} of {ChangeRequest} at {Sha} could not be read; the server's configuration applies")]
    private static partial void LogUnreadable(ILogger logger, string file, string changeRequest, string sha);

    [LoggerMessage(EventId = 613, Level = LogLevel.Warning, Message = "{File} of {ChangeRequest} at {Sha} is refused; the server's configuration applies: {Errors}")]
    private static partial void LogInvalid(ILogger logger, string file, string changeRequest, string sha, string errors);
}
