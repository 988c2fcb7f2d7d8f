using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Core.Tasks;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Stats;

/// <summary>
/// <c>GET /api/stats/hourly?from=&amp;to=&amp;series=</c>: the hourly rollups (<see cref="RollupStore"/>) of [from, to)
/// for the dashboard's charts, every hour of the range present (zeros and nulls where nothing happened). Hourly
/// resolution only, at most <see cref="MaxRange"/> per request. <c>from</c>/<c>to</c> are ISO 8601 times (rounded out to
/// whole hours; default: the last 24 hours up to the end of the current hour); <c>series</c> is a comma-separated subset
/// of <see cref="Series"/> (default: all).
/// </summary>
public static class StatsEndpoints
{
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);
    public static readonly string[] Series = ["tasks", "queue", "run", "agents", "findings"];

    /// <summary>Repositories shown by name in <c>findings</c>; the rest of the range's repositories add up to "(other)".</summary>
    public const int TopRepositories = 8;

    private static readonly TaskState[] Endings = [.. Enum.GetValues<TaskState>().Where(s => s.IsTerminal())];

    public static IEndpointRouteBuilder MapStatsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/stats").WithTags("Stats").MapGet("/hourly", Hourly);
        return app;
    }

    public static async Task<Results<Ok<HourlyStats>, ProblemHttpResult>> Hourly(string? from, string? to, string? series, RollupStore store, TimeProvider time, CancellationToken ct)
    {
        DateTimeOffset? Parse(string? text) => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var v) ? v : null;
        if (from is not null && Parse(from) is null) return Problem(400, "Invalid query", $"from '{from}' is not an ISO 8601 time (e.g. 2026-12-01T00:00:00Z).", "from");
        if (to is not null && Parse(to) is null) return Problem(400, "Invalid query", $"to '{to}' is not an ISO 8601 time (e.g. 2026-12-02T00:00:00Z).", "to");
        var end = Ceiling(Parse(to) ?? time.GetUtcNow());
        var start = RollupStore.HourOf(Parse(from) ?? end - TimeSpan.FromDays(1));
        if (start >= end) return Problem(400, "Invalid query", $"from ({start:O}) must be before to ({end:O}).", "from");
        if (end - start > MaxRange) return Problem(400, "Invalid query", $"The range from {start:O} to {end:O} is longer than {MaxRange.TotalDays} days of hours; ask for less.", "to");
        var wanted = (series ?? string.Join(',', Series)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var bad = wanted.Length == 0 ? series : wanted.FirstOrDefault(s => !Series.Contains(s, StringComparer.OrdinalIgnoreCase));
        if (bad is not null) return Problem(400, "Invalid query", $"series '{bad}' is not one of {string.Join(", ", Series)}.", "series");
        bool Wants(string s) => wanted.Contains(s, StringComparer.OrdinalIgnoreCase);

        var rows = (await store.ReadAsync(start, end, ct)).ToDictionary(r => r.Hour, r => r.Rollup);
        var hours = Enumerable.Range(0, (int)(end - start).TotalHours).Select(i => start + TimeSpan.FromHours(i)).ToArray();
        var rollups = hours.Select(h => rows.GetValueOrDefault(h)).ToArray();

        return TypedResults.Ok(new HourlyStats(start, end, hours,
            Wants("tasks") ? Endings.ToDictionary(s => s.Name(), s => rollups.Select(r => r?.States.GetValueOrDefault(s.Name()) ?? 0).ToArray()) : null,
            Wants("queue") ? Durations(rollups, r => r.Queue) : null,
            Wants("run") ? Durations(rollups, r => r.Run) : null,
            Wants("agents") ? Agents(rollups) : null,
            Wants("findings") ? Findings(rollups) : null));
    }

    private static DateTimeOffset Ceiling(DateTimeOffset at) => RollupStore.HourOf(at) == at ? at : RollupStore.HourOf(at) + TimeSpan.FromHours(1);

    private static DurationSeries Durations(HourRollup?[] rollups, Func<HourRollup, Histogram> of) => new(
        [.. rollups.Select(r => r is null ? 0 : of(r).Count)],
        [.. rollups.Select(r => r is null ? null : of(r).Percentile(0.5))],
        [.. rollups.Select(r => r is null ? null : of(r).Percentile(0.95))]);

    private static IReadOnlyList<AgentSeries> Agents(HourRollup?[] rollups) =>
        [.. rollups.Where(r => r is not null).SelectMany(r => r!.BusySeconds.Keys).Distinct().Order(StringComparer.Ordinal).Select(agent => new AgentSeries(agent,
            [.. rollups.Select(r => r?.BusySeconds.GetValueOrDefault(agent) ?? 0)],
            [.. rollups.Select(r => r is not null && r.Capacity.TryGetValue(agent, out var c) && c > 0 ? Math.Round(r.BusySeconds.GetValueOrDefault(agent) / (c * 3600.0), 4) : (double?)null)]))];

    private static IReadOnlyList<RepositorySeries> Findings(HourRollup?[] rollups)
    {
        var totals = rollups.Where(r => r is not null).SelectMany(r => r!.Findings).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        var top = totals.Where(kv => kv.Key != HourRollup.Other).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(TopRepositories).Select(kv => kv.Key).ToHashSet();
        var list = top.OrderByDescending(r => totals[r]).ThenBy(r => r, StringComparer.Ordinal)
            .Select(repo => new RepositorySeries(repo, [.. rollups.Select(r => r?.Findings.GetValueOrDefault(repo) ?? 0)])).ToList();
        if (totals.Keys.Any(k => !top.Contains(k)))
            list.Add(new RepositorySeries(HourRollup.Other, [.. rollups.Select(r => r?.Findings.Where(kv => !top.Contains(kv.Key)).Sum(kv => kv.Value) ?? 0)]));
        return list;
    }
}

/// <param name="Hours">The start of every hour in [From, To), UTC; every other array has one value per hour.</param>
/// <param name="Tasks">Final state → tasks that ended in that state, per hour.</param>
public sealed record HourlyStats(
    DateTimeOffset From, DateTimeOffset To, IReadOnlyList<DateTimeOffset> Hours,
    IReadOnlyDictionary<string, int[]>? Tasks, DurationSeries? Queue, DurationSeries? Run,
    IReadOnlyList<AgentSeries>? Agents, IReadOnlyList<RepositorySeries>? Findings);

/// <summary>Per hour: how many durations were measured, and their median and 95th percentile in seconds (null: none).</summary>
public sealed record DurationSeries(long[] Count, double?[] P50, double?[] P95);

/// <param name="Utilisation">Busy seconds / (capacity × 3600) per hour, 0..1; null for an hour it ran nothing.</param>
public sealed record AgentSeries(string Agent, double[] BusySeconds, double?[] Utilisation);

public sealed record RepositorySeries(string Repository, int[] Findings);
