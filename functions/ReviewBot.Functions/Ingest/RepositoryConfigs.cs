using System.Collections.Concurrent;
using ReviewBot.Contracts.Agents;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Functions.Ingest;

/// <summary>What became of a repository's <see cref="RepositoryConfig.FileName"/> at one commit.</summary>
public enum RepositoryFileState
{
    /// <summary>Read and laid over the server's configuration.</summary>
    Applied,
    /// <summary>Read and refused (<see cref="RepositoryConfig.Errors"/>): the server's configuration applies.</summary>
    Refused,
    /// <summary>The commit has no such file.</summary>
    Absent,
    /// <summary>The code host did not answer (or the commit is unknown): the server's configuration applies.</summary>
    Unreadable,
    /// <summary>No reader serves the repository (no credentials for its host, no base commit).</summary>
    NotRead,
}

/// <summary>The configuration that applies at one commit, and what became of the repository's file there.</summary>
public sealed record RepositoryConfigRead(RepositoryConfig Config, RepositoryFileState File);

/// <summary>
/// The configuration that applies to a change request: the repository's <see cref="RepositoryConfig.FileName"/> at the
/// change request's <em>base</em> commit laid over the server's, so a pull request cannot change what checks it (its
/// edit of the file takes effect once merged). Read through the repository's <see cref="IRepositoryReader"/> and kept
/// per (repository, base commit): a commit's file never changes (a branch name's does, so a read by branch name is not
/// kept). Without a base commit, a reader or the file, the server's configuration applies.
/// </summary>
public sealed partial class RepositoryConfigs(ReviewConfig config, LinterRuns runs, IEnumerable<IRepositorySection> sections, ILogger<RepositoryConfigs> log)
{
    private readonly IRepositorySection[] _sections = [.. sections];

    /// <summary>Entries kept before the cache starts afresh (each is a few linters; commits are many).</summary>
    private const int MaxEntries = 2048;

    private readonly ConcurrentDictionary<(string Repository, string Sha), RepositoryConfigRead> _cache = new();

    public async Task<RepositoryConfig> ForAsync(ChangeRequest change, CancellationToken ct) =>
        change.BaseSha is { } sha ? (await AtAsync(change, sha, ct)).Config : RepositoryConfig.ServerOnly(config, change.Repository);

    /// <summary>The configuration at <paramref name="commitOrRef"/> (a commit id, or a branch or tag name the host
    /// resolves) of <paramref name="change"/>'s repository, read through the reader that serves it.</summary>
    public async Task<RepositoryConfigRead> AtAsync(ChangeRequest change, string commitOrRef, CancellationToken ct)
    {
        var serverOnly = RepositoryConfig.ServerOnly(config, change.Repository);
        if (runs.ReaderFor(change) is not { } reader) return new(serverOnly, RepositoryFileState.NotRead);
        var commit = SourceRules.IsSha(commitOrRef);
        var key = (change.Repository.ToLowerInvariant(), commitOrRef.ToLowerInvariant());
        if (commit && _cache.TryGetValue(key, out var known)) return known;

        var file = await reader.ReadFileAsync(change, RepositoryConfig.FileName, commitOrRef, ct);
        if (file is null)
        {
            // Not cached: the next push tries again.
            LogUnreadable(log, RepositoryConfig.FileName, change.Name, commitOrRef);
            return new(serverOnly, RepositoryFileState.Unreadable);
        }

        RepositoryConfigRead result = file.Text is { } text ? Parsed(RepositoryConfig.Parse(config, change.Repository, text, _sections)) : new(serverOnly, RepositoryFileState.Absent);
        if (result.File == RepositoryFileState.Refused) LogInvalid(log, RepositoryConfig.FileName, change.Name, commitOrRef, string.Join("; ", result.Config.Errors));
        if (!commit) return result;
        if (_cache.Count >= MaxEntries) _cache.Clear();
        _cache[key] = result;
        return result;
    }

    private static RepositoryConfigRead Parsed(RepositoryConfig parsed) => new(parsed, parsed.Applies ? RepositoryFileState.Applied : RepositoryFileState.Refused);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "{File} of {ChangeRequest} at {Sha} could not be read; the server's configuration applies")]
    private static partial void LogUnreadable(ILogger logger, string file, string changeRequest, string sha);

    [LoggerMessage(EventId = 613, Level = LogLevel.Warning, Message = "{File} of {ChangeRequest} at {Sha} is refused; the server's configuration applies: {Errors}")]
    private static partial void LogInvalid(ILogger logger, string file, string changeRequest, string sha, string errors);
}
