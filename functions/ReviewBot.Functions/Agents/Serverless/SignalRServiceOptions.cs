using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Agents.Serverless;

/// <summary>
/// Settings under <c>ReviewBot:SignalR</c>. A <see cref="ConnectionString"/> selects Azure SignalR Service in
/// serverless mode for the agents' channel; without one the app hosts the hub itself.
/// </summary>
public sealed class SignalRServiceOptions : IValidatableObject
{
    public const string Section = "ReviewBot:SignalR";

    /// <summary><c>Endpoint=https://x.service.signalr.net;AccessKey=…;Version=1.0;</c> (optional <c>Port=</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The service's second access key, during a key rotation: upstream signatures made with either are accepted.</summary>
    public string? SecondaryConnectionString { get; set; }

    /// <summary>Hub name on the service (lower-cased, as the service and its SDK do).</summary>
    [RegularExpression("^[a-z][a-z0-9_]{0,127}$")]
    public string Hub { get; set; } = "agents";

    /// <summary>Lifetime of the client token handed out by negotiate (agents negotiate again on reconnect).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ClientTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(ConnectionString), ConnectionString), (nameof(SecondaryConnectionString), SecondaryConnectionString) })
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            if (!ServiceEndpoint.TryParse(value, out _, out var problem))
                yield return new ValidationResult($"{Section}:{name}: {problem}", [name]);
        }
        if (!string.IsNullOrWhiteSpace(SecondaryConnectionString) && !Enabled)
            yield return new ValidationResult($"{Section}:SecondaryConnectionString needs ConnectionString too.", [nameof(SecondaryConnectionString)]);
    }
}
