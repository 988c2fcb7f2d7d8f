namespace ReviewBot.Functions.Ingest;

/// <summary>The body of every webhook answer (both code hosts): what happened to the delivery and the tasks it queued.</summary>
/// <param name="Status">accepted, ignored, duplicate, approved, bound, pong.</param>
public sealed record WebhookAnswer(string Status, string Message, IReadOnlyList<string> Tasks);

/// <summary>A delivery whose payload lacks what the event needs: the sender's mistake, answered with 400.</summary>
public sealed class WebhookPayloadException(string field, string problem) : Exception($"{field} {problem}")
{
    public string Field { get; } = field;
}

/// <summary>The tasks a change request's push created (<see cref="ChangeRequestIngest"/>).</summary>
/// <param name="TaskIds">One per linter that applies, created now or by an earlier delivery of the same push.</param>
/// <param name="Created">How many of them this delivery created.</param>
/// <param name="Superseded">Tasks of older pushes to the same change request that were cancelled.</param>
public sealed record IngestOutcome(IReadOnlyList<string> TaskIds, int Created, int Superseded)
{
    public static IngestOutcome None { get; } = new([], 0, 0);

    /// <summary>Why the tasks wait for approval instead of running (Trust/TrustRules.cs); null when they run.</summary>
    public string? Waiting { get; init; }
}
