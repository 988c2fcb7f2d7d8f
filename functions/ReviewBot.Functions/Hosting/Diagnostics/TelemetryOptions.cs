using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Hosting.Diagnostics;

/// <summary>Settings under <c>ReviewBot:Telemetry</c> (the exporters themselves take the standard <c>OTEL_*</c> and
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> environment variables).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "ReviewBot:Telemetry";

    /// <summary>False turns the OpenTelemetry SDK off: no metrics or spans are collected or exported and <c>/metrics</c>
    /// is not served (the bench measures the difference). Unset = true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>True serves <c>/metrics</c> without a key (for a scraper inside a private network); by default it needs
    /// a read API key (<c>Authorization: Bearer</c>), as every <c>/api</c> read does.</summary>
    public bool AnonymousMetrics { get; set; }

    /// <summary>Distinct repositories named in metric tags; later ones are tagged "other" (<see cref="TagCap"/>).</summary>
    [Range(1, 1000)]
    public int MaxRepositories { get; set; } = 50;

    /// <summary>Distinct agents named in metric tags; later ones are tagged "other".</summary>
    [Range(1, 1000)]
    public int MaxAgents { get; set; } = 50;

    /// <summary>Distinct linter and job names named in metric tags; later ones are tagged "other".</summary>
    [Range(1, 1000)]
    public int MaxLinters { get; set; } = 50;

    /// <summary>Distinct label filters named by the queued-tasks gauge; later ones are summed under "other".</summary>
    [Range(1, 1000)]
    public int MaxLabelFilters { get; set; } = 20;

    /// <summary>How long <c>/metrics</c> reuses a scrape; 0 renders every scrape afresh.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ScrapeCache { get; set; } = TimeSpan.Zero;
}
