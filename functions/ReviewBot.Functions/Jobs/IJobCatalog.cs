using ReviewBot.Core.Jobs;

namespace ReviewBot.Functions.Jobs;

/// <summary>The job definitions in effect now: the YAML file's, overridden and extended by those made through the
/// API. Read on every scheduler tick, so a change applies at the next tick without a restart.</summary>
public interface IJobCatalog
{
    /// <summary>Every job that is not deleted, enabled or not, in name order.</summary>
    Task<IReadOnlyList<JobDefinition>> ListAsync(CancellationToken ct);

    /// <summary>The job, or null when there is none (or it was deleted).</summary>
    Task<JobDefinition?> GetAsync(string name, CancellationToken ct);
}
