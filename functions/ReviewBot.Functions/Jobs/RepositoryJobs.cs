using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// The jobs a repository's own file defines (<see cref="RepositoryJobsSection"/>), read at its default branch when one of
/// its events arrives (a merged pull request, a new tag, a push), through the reader that serves it
/// (<see cref="RepositoryConfigs"/>): what the repository's main line says now, as Prow reads its in-repo config. A
/// refused or unreadable file defines none (its errors are logged; on pull requests against that branch they fail the
/// <c>reviewbot/config</c> check). A server job of the same name wins: the repository's is not fired. Where the
/// server's policy does not say <c>allowRepoCommands: true</c> the file can define no job, so it is not read: events of
/// such repositories cost no call to the code host.
/// </summary>
public sealed class RepositoryJobs(RepositoryConfigs configs, ReviewConfig config)
{
    /// <param name="source">The repository as the event names it (host, clone URL, installation).</param>
    /// <param name="commitOrRef">The default branch's head commit when the event names it (a commit is read once and
    /// cached), else the default branch's name.</param>
    /// <param name="server">The server's jobs, which win over the repository's of the same name.</param>
    public async Task<IReadOnlyList<JobDefinition>> ForAsync(ChangeRequest source, string commitOrRef, IReadOnlyList<JobDefinition> server, CancellationToken ct)
    {
        if (!ConfigResolver.PolicyFor(config.Document, source.Repository).AllowCommands) return [];
        var read = await configs.AtAsync(source, commitOrRef, ct);
        var jobs = read.Config.Section<RepositoryJobList>()?.All ?? [];
        if (jobs.Count == 0) return [];
        var names = server.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        return [.. jobs.Where(j => !names.Contains(j.Name)).Select(j => j with { CloneUrl = source.CloneUrl })];
    }
}
