using System.Text.Json.Serialization;

namespace ReviewBot.Functions.Stats;

/// <summary>
/// Durations of one hour in fixed buckets (upper bounds <see cref="Bounds"/> in seconds, then one open bucket), so an
/// hour's row stays small whatever the load and any percentile can be computed from it. Percentiles interpolate
/// linearly inside the bucket the rank falls in, narrowed to [<see cref="Min"/>, <see cref="Max"/>] (so the open bucket
/// ends at the largest value, and an hour of equal durations reports that duration); exact at the bounds, never outside
/// the values seen.
/// </summary>
public sealed class Histogram
{
    public static readonly double[] Bounds = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

    /// <summary>Counts per bucket: <c>Counts[i]</c> holds values in (Bounds[i−1], Bounds[i]]; the last, values above 7200 s.</summary>
    public long[] Counts { get; set; } = new long[Bounds.Length + 1];
    public double Sum { get; set; }
    public double Min { get; set; }
    public double Max { get; set; }

    [JsonIgnore]
    public long Count => Counts.Sum();

    public void Add(TimeSpan value)
    {
        var s = Math.Max(0, value.TotalSeconds);
        var i = Array.FindIndex(Bounds, b => s <= b);
        Min = Count == 0 ? s : Math.Min(Min, s);
        Max = Count == 0 ? s : Math.Max(Max, s);
        Counts[i < 0 ? Bounds.Length : i]++;
        Sum += s;
    }

    /// <summary>The <paramref name="p"/>-quantile (0 &lt; p ≤ 1) in seconds; null for an empty hour.</summary>
    public double? Percentile(double p)
    {
        var count = Count;
        if (count == 0) return null;
        var rank = p * count;
        long before = 0;
        for (var i = 0; i < Counts.Length; i++)
        {
            if (Counts[i] == 0 || before + Counts[i] < rank) { before += Counts[i]; continue; }
            var lo = Math.Max(i == 0 ? 0 : Bounds[i - 1], Min);
            var hi = i < Bounds.Length ? Math.Min(Bounds[i], Max) : Max;
            return Math.Round(Math.Min(Max, lo + (Math.Max(hi, lo) - lo) * (rank - before) / Counts[i]), 3);
        }

        return Max;
    }
}
