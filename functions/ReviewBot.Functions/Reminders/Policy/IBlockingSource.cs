namespace ReviewBot.Functions.Reminders.Policy;

/// <summary>
/// Who blocks which open pull request, for the configured repositories. <see cref="Analysis.ReminderAnalyzer"/> provides it; a
/// reminder run and the chat command <c>status</c> read through this one method.
/// </summary>
public interface IBlockingSource
{
    /// <summary>One <see cref="Blocking"/> per open pull request of <paramref name="repos"/> (host "github" or "gitlab", "owner/name").</summary>
    Task<IReadOnlyList<Blocking>> AnalyzeAsync(IEnumerable<(string Host, string Repository)> repos, CancellationToken ct);
}
