using Microsoft.Extensions.Options;

namespace ReviewBot.Functions.Reminders.Analysis;

/// <summary>One repository that could not be read, and why.</summary>
public sealed record RepositoryFailure(string Host, string Repository, string Message);

/// <summary>The analysis of several repositories at one moment.</summary>
public sealed record ReminderAnalysis(DateTimeOffset At, IReadOnlyList<Blocking> Blockings, IReadOnlyList<RepositoryFailure> Failures);

/// <summary>
/// Reads the open pull requests of repositories through the registered <see cref="ICodeHostReader"/>s (one per host)
/// and runs <see cref="BlockingAnalysis"/> on each with the configured <see cref="BlockingRules"/>. Repositories are
/// read one after another (kind to rate limits); one that fails is logged and reported, the others still count.
/// </summary>
public sealed class ReminderAnalyzer(
    IEnumerable<ICodeHostReader> readers,
    IOptions<ReminderAnalysisOptions> options,
    TimeProvider time,
    ILogger<ReminderAnalyzer> logger) : Policy.IBlockingSource
{
    private readonly Dictionary<string, ICodeHostReader> _readers = readers.ToDictionary(r => r.Host, StringComparer.OrdinalIgnoreCase);

    /// <summary>Who blocks what in <paramref name="repos"/> ("github"/"gitlab", "owner/name"); unreadable repositories are left out (and logged).</summary>
    public async Task<IReadOnlyList<Blocking>> AnalyzeAsync(IEnumerable<(string Host, string Repository)> repos, CancellationToken ct) =>
        (await RunAsync(repos, ct)).Blockings;

    /// <summary>As <see cref="AnalyzeAsync"/>, with the repositories that could not be read.</summary>
    public async Task<ReminderAnalysis> RunAsync(IEnumerable<(string Host, string Repository)> repos, CancellationToken ct)
    {
        var rules = options.Value.Rules;
        var blockings = new List<Blocking>();
        var failures = new List<RepositoryFailure>();
        var count = 0;
        foreach (var (host, repository) in repos)
        {
            count++;
            if (!_readers.TryGetValue(host, out var reader))
            {
                AnalysisLog.NoCodeHostReader(logger, host, repository, string.Join(", ", _readers.Keys));
                failures.Add(new(host, repository, $"No code host reader for '{host}'."));
                continue;
            }
            IReadOnlyList<PullRequestSnapshot> pulls;
            try
            {
                pulls = await reader.ListOpenAsync(repository, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                AnalysisLog.RepositoryReadFailed(logger, host, repository, e);
                failures.Add(new(host, repository, e.Message));
                continue;
            }
            var now = time.GetUtcNow();
            blockings.AddRange(pulls.Select(p => BlockingAnalysis.Analyze(p, rules, now)));
        }
        AnalysisLog.Analysed(logger, blockings.Count, count, failures.Count);
        return new(time.GetUtcNow(), blockings, failures);
    }
}
