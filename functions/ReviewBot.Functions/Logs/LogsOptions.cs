using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Logs;

/// <summary>Settings under <c>ReviewBot:Logs</c>; validated at start.</summary>
public sealed class LogsOptions
{
    public const string Section = "ReviewBot:Logs";

    /// <summary>Most bytes (UTF-8) stored for one task's log, truncation notice included; output beyond it is
    /// acknowledged but not stored, and one notice line says so. 100 MiB by default.</summary>
    [Range(1024L, 190L * 1024 * 1024 * 1024)]
    public long MaxBytesPerTask { get; set; } = 100L * 1024 * 1024;

    /// <summary>How often this instance looks for logs of ended tasks still in an append blob (an instance that ended
    /// the task stopped before archiving it). Also done once at start.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ArchiveSweepInterval { get; set; } = TimeSpan.FromMinutes(5);
}
