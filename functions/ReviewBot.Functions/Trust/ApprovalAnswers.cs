using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.Ingest;
using WebhookResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.Accepted<ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace ReviewBot.Functions.Trust;

/// <summary>The webhook's answer to an approval event (GitHub and GitLab alike).</summary>
public static class ApprovalAnswers
{
    /// <summary>202 with the tasks it queued; 200 "approved" when nothing was waiting; 200 "ignored" with the reason.
    /// The delivery is recorded after an approval took effect, not for an ignored event (a redelivery decides again).</summary>
    public static async Task<WebhookResult> ResultAsync(ApprovalOutcome outcome, DeliveryStore deliveries, string source, string deliveryId,
        string eventName, string? action, CancellationToken ct)
    {
        if (!outcome.Approved) return TypedResults.Ok(new WebhookAnswer("ignored", outcome.Message, []));
        await deliveries.TryRecordAsync(source, deliveryId, eventName, action, outcome.TaskIds.Count, ct);
        return outcome.TaskIds.Count > 0
            ? TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", outcome.Message, outcome.TaskIds))
            : TypedResults.Ok(new WebhookAnswer("approved", outcome.Message, []));
    }
}
