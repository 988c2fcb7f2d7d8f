using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Configuration;

namespace ReviewBot.Functions.Jobs;

/// <summary>A job in effect, with what the API stored for its name (null when nothing: a job of the file as written).</summary>
public sealed record JobEntry(JobDefinition Job, StoredJob? Stored);

/// <summary>
/// The jobs in effect: the YAML file's, overridden by name and extended by those stored through the API
/// (<see cref="JobStore"/>). No cache: every call reads the jobs table (one small query), so a change made through the
/// API, on any instance, is seen by the next call.
/// </summary>
public sealed class JobCatalog(ReviewConfig config, JobStore store) : IJobCatalog
{
    public async Task<IReadOnlyList<JobDefinition>> ListAsync(CancellationToken ct) =>
        [.. (await ListEntriesAsync(ct)).Select(e => e.Job)];

    public async Task<JobDefinition?> GetAsync(string name, CancellationToken ct) =>
        (await GetEntryAsync(name, ct))?.Job;

    public async Task<IReadOnlyList<JobEntry>> ListEntriesAsync(CancellationToken ct)
    {
        var stored = (await store.ListAsync(ct)).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var names = config.Jobs.Select(j => j.Name).Concat(stored.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var entries = new List<JobEntry>();
        foreach (var name in names)
        {
            var row = stored.GetValueOrDefault(name);
            if (Merge(FromConfig(name), row) is { } job) entries.Add(new JobEntry(job, row));
        }
        return entries;
    }

    public async Task<JobEntry?> GetEntryAsync(string name, CancellationToken ct)
    {
        if (!JobValidator.IsName(name)) return null;
        var row = await store.GetAsync(name, ct);
        return Merge(FromConfig(name), row) is { } job ? new JobEntry(job, row) : null;
    }

    /// <summary>The file's job of this name, if any.</summary>
    public JobDefinition? FromConfig(string name) => config.Jobs.FirstOrDefault(j => j.Name == name);

    /// <summary>What the repositories of jobs made through the API are checked against (the file's <c>repos:</c>).</summary>
    public JobValidationContext ValidationContext => new(config.Scopes);

    /// <summary>The job in effect: none when deleted; else the API's definition; else the file's, enabled or disabled
    /// as the API last said.</summary>
    public static JobDefinition? Merge(JobDefinition? fromConfig, StoredJob? stored) => stored switch
    {
        null => fromConfig,
        { Deleted: true } => null,
        { Definition: { } api } => api with { Origin = JobOrigin.Api, Enabled = stored.Enabled ?? api.Enabled },
        _ => fromConfig is null ? null : fromConfig with { Enabled = stored.Enabled ?? fromConfig.Enabled },
    };
}
