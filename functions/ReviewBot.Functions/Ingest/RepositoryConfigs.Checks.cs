using System.Collections.Concurrent;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Functions.Ingest;

// The failed reviewbot/config check is posted once per (repository, base commit, errors): every push to every pull
// request on that base reads the same refused file, and one check says it. Kept in memory per instance and bounded, as
// the parsed files are; an instance that never posted it (a restart, another instance) posts it once more.
public sealed partial class RepositoryConfigs
{
    private readonly ConcurrentDictionary<(string Repository, string Sha, string Errors), byte> _posted = new();

    /// <summary>True for the first caller of this (repository, base commit, errors): it posts the check (and calls
    /// <see cref="ReleaseCheck"/> if that fails, so the next push tries again).</summary>
    public bool ClaimCheck(ChangeRequest change, IReadOnlyList<ConfigError> errors)
    {
        if (_posted.Count >= MaxEntries) _posted.Clear();
        return _posted.TryAdd(CheckKey(change, errors), 0);
    }

    public void ReleaseCheck(ChangeRequest change, IReadOnlyList<ConfigError> errors) => _posted.TryRemove(CheckKey(change, errors), out _);

    private static (string, string, string) CheckKey(ChangeRequest change, IReadOnlyList<ConfigError> errors) =>
        (change.Repository.ToLowerInvariant(), (change.BaseSha ?? "").ToLowerInvariant(), string.Join('\n', errors));
}
