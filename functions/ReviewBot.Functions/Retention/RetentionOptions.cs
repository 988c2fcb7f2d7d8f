using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Retention;

/// <summary>Settings under <c>ReviewBot:Retention</c> (environment <c>ReviewBot__Retention__*</c>); validated at start.</summary>
public sealed class RetentionOptions
{
    public const string Section = "ReviewBot:Retention";

    /// <summary>A finished task (its row, results blob, log blobs and index rows) is deleted once it was created this
    /// long ago. Also the age after which reminder responses and approvals nobody touched are deleted, and an agent
    /// offline this long is pruned from the registry. 90 days by default.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan TaskAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A webhook delivery's dedupe row is deleted this long after it arrived: a redelivery within it is still
    /// recognised. 7 days by default (GitHub offers redelivery of the last 3 days).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan DeliveryAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The hourly rollups behind the dashboard's charts (Stats/RollupStore.cs) are deleted by whole UTC days
    /// once the day ended this long ago. A year by default.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan RollupAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Rows (tasks, deliveries, nodes, …) read and deleted per batch; the cursor is saved after each batch.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Most batches of one kind per run, so that one run stays within a Functions invocation; the next run
    /// resumes from the saved cursor.</summary>
    [Range(1, 10_000)]
    public int MaxBatchesPerRun { get; set; } = 50;

    /// <summary>How often a self-hosted instance runs retention. Under the Functions host the timer <c>retention</c>
    /// fires hourly (minute 41) instead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one instance holds the run once it took it (renewed after every batch); another instance
    /// takes over a run whose holder stopped once this has passed.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);
}
