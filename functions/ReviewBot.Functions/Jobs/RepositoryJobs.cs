using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.Jobs;

/// <summary>
/// The jobs a repository's own file defines (<see cref="RepositoryJobsSection"/>), read at its default branch when one of
/// its events arrives (a merged pull request, a new tag, a push), through the reader that serves it
/// (<see cref="RepositoryConfigs"/>): what the repository's main line says now, as Prow reads its in-repo config. A
/// refused or unreadable file defines none (its errors are logged; on pull requests against that branch they fail the
/// <c>reviewbot/config</c> check). A server job of the same name wins: the repository's is not fired.
/// </summary>
public sealed class RepositoryJobs(RepositoryConfigs configs, IJobCatalog catalog)
{
    /// <param name="source">The repository as the event names it (host, clone URL, installation).</param>
    public async Task<IReadOnlyList<JobDefinition>> ForAsync(ChangeRequest source, string defaultBranch, CancellationToken ct)
    {
        var read = await configs.AtAsync(source, defaultBranch, ct);
        var jobs = read.Config.Section<RepositoryJobList>()?.All ?? [];
        if (jobs.Count == 0) return [];
        var server = (await catalog.ListAsync(ct)).Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        return [.. jobs.Where(j => !server.Contains(j.Name)).Select(j => j with { CloneUrl = source.CloneUrl })];
    }
}
