using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Tasks;

/// <summary>Settings under <c>ReviewBot:Routing</c>.</summary>
public sealed class RoutingOptions : IValidatableObject
{
    public const string Section = "ReviewBot:Routing";

    /// <summary>How long an agent has to accept an assignment before the next candidate is tried.</summary>
    public TimeSpan AcceptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A task not placed within this time fails, with the reason it could not be placed.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a node that refused a task, or did not accept in time, is not offered that task again.</summary>
    public TimeSpan RetryNodeAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node whose send failed or that did not answer is left out of all placements.</summary>
    public TimeSpan SuspectFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of a task whose agent is lost before it fails (the seeds' job manager: 5).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How often queued tasks are re-examined without any other trigger (timeouts, expiring exclusions).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(AcceptTimeout), AcceptTimeout), (nameof(QueueTimeout), QueueTimeout), (nameof(SweepInterval), SweepInterval) })
            if (value <= TimeSpan.Zero) yield return new($"{name} must be positive.", [name]);
    }
}
