using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Jobs.Scheduling;

/// <summary>Settings under <c>ReviewBot:Scheduler</c>: the leader lease, the tick loop, missed ticks, branch polling.</summary>
public sealed class SchedulerOptions : IValidatableObject
{
    public const string Section = "ReviewBot:Scheduler";

    /// <summary>Run the in-process tick loop. False when something else calls <see cref="Scheduler.TickAsync"/>
    /// (the Azure timer function); the ticks then still need the lease.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The leader's blob lease; Azure allows 15–60 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the leader renews, and how often the others try to acquire. Below half the duration, so
    /// one failed renewal still leaves time for another.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The leader stops acting this long before its lease could have expired (clock drift, slow calls).</summary>
    public TimeSpan LeaseSafetyMargin { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between two ticks of the in-process loop (it wakes earlier for a due cron tick).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A tick older than this when evaluated is missed and follows the job's misfire policy; younger ones
    /// are fired late. Above <see cref="LeaseDuration"/> + <see cref="RenewInterval"/>, so a failover loses no tick.</summary>
    public TimeSpan MisfireGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often poll triggers read their branch head.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseDuration < TimeSpan.FromSeconds(15) || LeaseDuration > TimeSpan.FromSeconds(60))
            yield return new("LeaseDuration must be between 15 and 60 seconds (Azure's limits for a blob lease).", [nameof(LeaseDuration)]);
        if (RenewInterval <= TimeSpan.Zero || RenewInterval >= LeaseDuration / 2)
            yield return new("RenewInterval must be positive and below half of LeaseDuration.", [nameof(RenewInterval)]);
        if (LeaseSafetyMargin < TimeSpan.Zero || LeaseSafetyMargin >= LeaseDuration - RenewInterval)
            yield return new("LeaseSafetyMargin must be at least zero and below LeaseDuration - RenewInterval.", [nameof(LeaseSafetyMargin)]);
        if (TickInterval <= TimeSpan.Zero || TickInterval > TimeSpan.FromMinutes(1))
            yield return new("TickInterval must be positive and at most a minute.", [nameof(TickInterval)]);
        if (MisfireGrace < LeaseDuration + RenewInterval)
            yield return new("MisfireGrace must be at least LeaseDuration + RenewInterval, or a failover would count on-time ticks as missed.", [nameof(MisfireGrace)]);
        if (PollInterval < TimeSpan.FromSeconds(1))
            yield return new("PollInterval must be at least a second.", [nameof(PollInterval)]);
    }
}
