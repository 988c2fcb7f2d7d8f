using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace ReviewBot.Functions.Reminders.Analysis;

/// <summary>
/// Settings of the blocking analysis, under <c>ReviewBot:Reminders:Analysis</c>; the repositories come from
/// <c>ReviewBot:Reminders:Repositories:N</c> (the rest of <c>ReviewBot:Reminders</c> belongs to the chat side).
/// </summary>
public sealed partial class ReminderAnalysisOptions : IValidatableObject
{
    public const string Section = "ReviewBot:Reminders:Analysis";
    public const string RepositoriesSection = "ReviewBot:Reminders:Repositories";

    /// <summary>"github:owner/name" or "gitlab:group/subgroup/project", read by <c>GET /api/reminders</c>.</summary>
    public List<string> Repositories { get; set; } = [];

    /// <summary>Code-host logins reminded when CI has been pending longer than <see cref="CiPendingThreshold"/> (the author when empty).</summary>
    public List<string> CiOwners { get; set; } = [];

    /// <summary>Code-host logins who merge approved, green pull requests (the author when empty).</summary>
    public List<string> Mergers { get; set; } = [];

    /// <summary>How long CI may stay pending before its owners are blocked on.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan CiPendingThreshold { get; set; } = BlockingRules.DefaultCiPendingThreshold;

    /// <summary>How long a reader waits before reading a pull request whose mergeability was not computed yet once more
    /// (GitHub computes it in the background; Prow waits 5 s). Zero re-reads at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MergeabilityRecheckDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long <c>GET /api/reminders</c> serves the last analysis before reading the code hosts again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(2);

    public BlockingRules Rules => new(CiOwners, Mergers, CiPendingThreshold);

    /// <summary>The configured repositories as (host, repository) pairs; call after validation.</summary>
    public IReadOnlyList<(string Host, string Repository)> ParsedRepositories() =>
        [.. Repositories.Select(r => TryParseRepository(r, out var parsed) ? parsed : throw new FormatException(r))];

    public static bool TryParseRepository(string value, out (string Host, string Repository) parsed)
    {
        var m = RepositoryPattern().Match(value ?? "");
        parsed = m.Success ? (m.Groups[1].Value.ToLowerInvariant(), m.Groups[2].Value) : default;
        return m.Success && (parsed.Host != "github" || parsed.Repository.Count(c => c == '/') == 1);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var r in Repositories.Where(r => !TryParseRepository(r, out _)))
            yield return new($"Repository '{r}' is not \"github:owner/name\" or \"gitlab:group/project\".", [nameof(Repositories)]);
    }

    [GeneratedRegex(@"^\s*(github|gitlab):([^/\s:]+(?:/[^/\s]+)+?)/?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();
}
