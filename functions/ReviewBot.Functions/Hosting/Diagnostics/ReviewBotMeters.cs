using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace ReviewBot.Functions.Hosting.Diagnostics;

/// <summary>
/// This app's meters (names start with <see cref="Prefix"/>) and the caps on their tags. Each meter is created with
/// this instance as its scope, so the app's OpenTelemetry pipeline exports its own instruments only, even when several
/// apps share one process (the tests). Tag sets, per instrument, are documented in the root README ("Observability").
/// </summary>
public sealed class ReviewBotMeters(IOptions<TelemetryOptions> options) : IDisposable
{
    public const string Prefix = "ReviewBot.";

    private readonly List<Meter> _meters = [];

    /// <summary>Caps the <c>repository</c> tag (<see cref="TelemetryOptions.MaxRepositories"/>).</summary>
    public TagCap Repositories { get; } = new(options.Value.MaxRepositories);

    /// <summary>Caps the <c>agent</c> tag (<see cref="TelemetryOptions.MaxAgents"/>).</summary>
    public TagCap Agents { get; } = new(options.Value.MaxAgents);

    /// <summary>Caps the <c>linter</c> tag (linter or job names; repositories may define their own).</summary>
    public TagCap Linters { get; } = new(options.Value.MaxLinters);

    /// <summary>Caps the <c>label_filter</c> tag (<see cref="TelemetryOptions.MaxLabelFilters"/>).</summary>
    public TagCap LabelFilters { get; } = new(options.Value.MaxLabelFilters);

    /// <summary>Bucket boundaries (seconds) of every duration histogram: from 5 ms (a webhook) to an hour (a queue).</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    /// <summary>A meter named <see cref="Prefix"/> + <paramref name="area"/>, owned by this app.</summary>
    public Meter Create(string area)
    {
        var meter = new Meter(new MeterOptions(Prefix + area) { Scope = this });
        lock (_meters) _meters.Add(meter);
        return meter;
    }

    /// <summary>A histogram of durations in seconds with <see cref="SecondsBuckets"/>.</summary>
    public static Histogram<double> Seconds(Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters) meter.Dispose();
            _meters.Clear();
        }
    }
}
