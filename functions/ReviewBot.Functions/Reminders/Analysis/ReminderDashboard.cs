using Microsoft.Extensions.Options;

namespace ReviewBot.Functions.Reminders.Analysis;

/// <summary>
/// The analysis of the configured repositories (<see cref="ReminderAnalysisOptions.Repositories"/>) for
/// <c>GET /api/reminders</c>, kept for <see cref="ReminderAnalysisOptions.CacheDuration"/> so a refreshing dashboard
/// does not hammer the code hosts. Concurrent callers share one run; a run that throws is not kept.
/// Thread-safe: the cached task is read and swapped under <c>_gate</c>; no I/O runs under it.
/// </summary>
public sealed class ReminderDashboard(ReminderAnalyzer analyzer, IOptions<ReminderAnalysisOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Task<ReminderAnalysis>? _current;
    private DateTimeOffset _startedAt;

    public Task<ReminderAnalysis> GetAsync(CancellationToken ct)
    {
        Task<ReminderAnalysis> task;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_current is null || _current.IsFaulted || _current.IsCanceled || (_current.IsCompleted && now - _startedAt >= options.Value.CacheDuration))
            {
                _startedAt = now;
                var repos = options.Value.ParsedRepositories();
                // Not cancelled with the first caller: the others share it.
                _current = Task.Run(() => analyzer.RunAsync(repos, CancellationToken.None), CancellationToken.None);
            }
            task = _current;
        }
        return task.WaitAsync(ct);
    }
}
