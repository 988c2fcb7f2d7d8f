using System.Globalization;

namespace ReviewBot.Bench.Harness;

/// <summary>Summary of a latency sample, in milliseconds (nearest-rank percentiles).</summary>
public sealed record Distribution(int Count, double P50, double P90, double P99, double Max, double Mean, double Min)
{
    public double P95 { get; init; }

    public static Distribution Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0) return new Distribution(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN) { P95 = double.NaN };
        var sorted = samples.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Distribution(sorted.Length, Rank(0.50), Rank(0.90), Rank(0.99), sorted[^1], sorted.Average(), sorted[0]) { P95 = Rank(0.95) };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} min={Min:0.00} p50={P50:0.00} p90={P90:0.00} p95={P95:0.00} p99={P99:0.00} max={Max:0.00} mean={Mean:0.00} (ms)");
}

public static class Format
{
    public static string MiB(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):0.0} MiB");
}
