using WebhookResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<ReviewBot.Functions.Ingest.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.Accepted<ReviewBot.Functions.Ingest.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace ReviewBot.Functions.Ingest;

/// <summary>The webhook's answer to the work a delivery made, the same on every code host.</summary>
public static class IngestAnswers
{
    /// <summary>A push to a change request: 202 with its tasks, or 200 "ignored" when no linter applies. The delivery is
    /// recorded after the tasks exist.</summary>
    public static async Task<WebhookResult> ChangeRequestAsync(WebhookDelivery delivery, string? action, string repository, string name,
        IngestOutcome outcome, DeliveryStore deliveries, CancellationToken ct)
    {
        await delivery.RecordAsync(deliveries, action, outcome.Created, ct);
        if (outcome.TaskIds.Count == 0) return WebhookReceiver.Ignored($"no linter is configured for {repository}");
        return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted",
            $"{outcome.TaskIds.Count} task(s) for {name}"
            + (outcome.Superseded > 0 ? $"; {outcome.Superseded} task(s) of older pushes cancelled" : "")
            + (outcome.Waiting is { } waiting ? $"; {waiting}" : ""),
            outcome.TaskIds));
    }

    /// <summary>An approval (<c>/ok-to-test</c>, the approval label): 202 with the tasks it queued; 200 "approved" when
    /// nothing was waiting; 200 "ignored" with the reason. The delivery is recorded after an approval took effect, not
    /// for an ignored event (a redelivery decides again).</summary>
    public static async Task<WebhookResult> ApprovalAsync(WebhookDelivery delivery, string? action, ApprovalOutcome outcome, DeliveryStore deliveries, CancellationToken ct)
    {
        if (!outcome.Approved) return WebhookReceiver.Ignored(outcome.Message);
        await delivery.RecordAsync(deliveries, action, outcome.TaskIds.Count, ct);
        return outcome.TaskIds.Count > 0
            ? TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", outcome.Message, outcome.TaskIds))
            : TypedResults.Ok(new WebhookAnswer("approved", outcome.Message, []));
    }
}
