using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.Hosting;
using ReviewBot.Functions.Hosting.Http;
using ReviewBot.Functions.Ingest;
using static ReviewBot.Functions.Hosting.Http.Problems;
using WebhookResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.Accepted<ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>
/// <c>POST /api/gitlab/webhook</c>: check the secret token, deduplicate, persist the work, answer. Nothing is stored
/// for a delivery whose token is missing or wrong; the delivery row is written last, after its tasks, so a crash in
/// between is repaired by GitLab's retry rather than losing the work. Deliveries are identified by
/// <c>X-Gitlab-Event-UUID</c>, else <c>Idempotency-Key</c>, else the SHA-256 of the body.
/// </summary>
public static partial class GitLabWebhookEndpoints
{
    public const string Source = "gitlab";

    public static IEndpointRouteBuilder MapGitLabWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<GitLabOptions>>();
        app.MapPost("/api/gitlab/webhook", Receive).WithTags("Webhooks").DisableAntiforgery().WithRequestBodyLimit(() => options.Value.MaxBodyBytes);
        return app;
    }

    public static async Task<WebhookResult> Receive(
        HttpRequest request,
        IOptions<GitLabOptions> options,
        DeliveryStore deliveries,
        MergeRequestIngest mergeRequests,
        Trust.OkToTestNoteIngest notes,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var log = loggers.CreateLogger("ReviewBot.GitLab.Webhooks");
        var o = options.Value;
        if (string.IsNullOrEmpty(o.WebhookSecret))
            return Problem(503, "Webhook secret not configured", "Set ReviewBot:GitLab:WebhookSecret; without it no delivery can be verified.");

        // The token is checked before the body is read: an unauthenticated sender cannot make us buffer 25 MB.
        var token = request.Headers["X-Gitlab-Token"].FirstOrDefault();
        if (!TokenMatches(o.WebhookSecret, token))
        {
            LogTokenRejected(log, request.Headers["X-Gitlab-Event-UUID"].FirstOrDefault());
            return Problem(401, "Token missing or not valid",
                token is null ? "The X-Gitlab-Token header is missing." : "X-Gitlab-Token does not match the configured secret.");
        }

        var body = await WebhookBody.ReadAsync(request, o.MaxBodyBytes, ct);
        if (body is null)
            return Problem(413, "Payload too large", $"The body exceeds {o.MaxBodyBytes} bytes.");

        var eventName = request.Headers["X-Gitlab-Event"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(eventName)) return Problem(400, "Missing header", "The X-Gitlab-Event header is required.", "X-Gitlab-Event");
        var deliveryId = DeliveryId(request, body);

        if (await deliveries.ExistsAsync(Source, deliveryId, ct))
            return TypedResults.Ok(new WebhookAnswer("duplicate", $"delivery {deliveryId} was already processed", []));

        try
        {
            WebhookText.Check(body);
            if (eventName == "Note Hook") // /ok-to-test (Trust/)
                return await Functions.Trust.ApprovalAnswers.ResultAsync(await notes.NoteAsync(NoteHook.Parse(body), ct), deliveries, Source, deliveryId, eventName, null, ct);
            if (eventName != "Merge Request Hook")
            {
                JsonDocument.Parse(body).Dispose();
                return TypedResults.Ok(new WebhookAnswer("ignored", $"event '{eventName}' needs nothing", []));
            }
            var hook = MergeRequestHook.Parse(body);
            if (!hook.NeedsReview)
                return TypedResults.Ok(new WebhookAnswer("ignored", hook.WhyIgnored, []));
            var outcome = await mergeRequests.IngestAsync(hook, deliveryId, ct);
            await deliveries.TryRecordAsync(Source, deliveryId, eventName, hook.Action, outcome.Created, ct);
            LogAccepted(log, deliveryId, hook.Repository, hook.Iid, outcome.Created);
            if (outcome.TaskIds.Count == 0)
                return TypedResults.Ok(new WebhookAnswer("ignored", $"no linter is configured for {hook.Repository}", []));
            return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted",
                $"{outcome.TaskIds.Count} task(s) for {hook.Repository}!{hook.Iid}" + (outcome.Superseded > 0 ? $"; {outcome.Superseded} task(s) of older pushes cancelled" : "") + (outcome.Waiting is { } w ? $"; {w}" : ""),
                outcome.TaskIds));
        }
        catch (JsonException e)
        {
            return Problem(400, "Payload is not valid JSON", e.Message, e.Path is { Length: > 0 } p ? p : null);
        }
        catch (WebhookPayloadException e)
        {
            return Problem(400, "Payload incomplete", e.Message, e.Field);
        }
    }

    /// <summary>Constant time whatever the lengths: both sides are hashed first.</summary>
    internal static bool TokenMatches(string secret, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    internal static string DeliveryId(HttpRequest request, byte[] body)
    {
        foreach (var header in new[] { "X-Gitlab-Event-UUID", "Idempotency-Key" })
            if (request.Headers[header].FirstOrDefault() is { Length: > 0 } id)
                return id.Length <= 100 ? id : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return "body-sha256-" + Convert.ToHexStringLower(SHA256.HashData(body));
    }

    [LoggerMessage(EventId = 621, Level = LogLevel.Warning, Message = "GitLab delivery {DeliveryId} refused: missing or wrong X-Gitlab-Token")]
    private static partial void LogTokenRejected(ILogger logger, string? deliveryId);

    [LoggerMessage(EventId = 622, Level = LogLevel.Information, Message = "GitLab delivery {DeliveryId}: {Repository}!{Iid}, {Created} new task(s)")]
    private static partial void LogAccepted(ILogger logger, string deliveryId, string repository, int iid, int created);
}
