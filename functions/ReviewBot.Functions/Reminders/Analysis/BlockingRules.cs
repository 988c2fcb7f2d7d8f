namespace ReviewBot.Functions.Reminders.Analysis;

/// <summary>The configurable parts of <see cref="BlockingAnalysis"/>.</summary>
/// <param name="CiOwners">Code-host logins blocked on when CI has been pending longer than <paramref name="CiPendingThreshold"/>;
/// when empty the author is.</param>
/// <param name="Mergers">Logins who merge approved, green pull requests; when empty the author does.</param>
/// <param name="CiPendingThreshold">How long CI may stay pending before it counts as stuck.</param>
public sealed record BlockingRules(IReadOnlyList<string> CiOwners, IReadOnlyList<string> Mergers, TimeSpan CiPendingThreshold)
{
    public static readonly TimeSpan DefaultCiPendingThreshold = TimeSpan.FromHours(1);

    /// <summary>No CI owners, no mergers, one hour.</summary>
    public static BlockingRules Default { get; } = new([], [], DefaultCiPendingThreshold);
}
