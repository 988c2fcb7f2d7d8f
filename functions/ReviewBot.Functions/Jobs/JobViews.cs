using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.Jobs;

/// <summary>Builds <see cref="JobView"/>s: the catalog's jobs with their counters and the state of their last run.</summary>
public sealed class JobViews(JobCatalog catalog, JobStore jobs, TaskStore tasks, TimeProvider time)
{
    public async Task<IReadOnlyList<JobView>> ListAsync(CancellationToken ct)
    {
        var entries = await catalog.ListEntriesAsync(ct);
        var runs = await jobs.ListRunsAsync(ct);
        var views = new List<JobView>(entries.Count);
        foreach (var entry in entries)
            views.Add(await ViewAsync(entry.Job, runs.GetValueOrDefault(entry.Job.Name), ct));
        return views;
    }

    public async Task<JobView> OfAsync(JobDefinition job, CancellationToken ct) =>
        await ViewAsync(job, await jobs.GetRunsAsync(job.Name, ct), ct);

    private async Task<JobView> ViewAsync(JobDefinition job, JobRuns? runs, CancellationToken ct)
    {
        var last = runs?.LastTaskId is { } id ? await tasks.GetAsync(id, ct) : null;
        return JobView.Of(job, runs, last?.State.Name(), time.GetUtcNow());
    }
}
