using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Octokit.Webhooks.Events;
using ReviewBot.Functions.Reminders.Bindings;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Webhooks;

/// <summary>
/// <c>POST /api/github/webhook</c>: verify, deduplicate, persist the work, answer. Nothing is stored for a delivery
/// that fails verification; the delivery row is written last, after its tasks, so a crash in between is repaired
/// by GitHub's redelivery rather than losing the work.
/// </summary>
public static partial class GitHubWebhookEndpoints
{
    public static IEndpointRouteBuilder MapGitHubWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/github/webhook", Receive).WithTags("Webhooks").DisableAntiforgery();
        return app;
    }

    public static async Task<IResult> Receive(
        HttpRequest request,
        IOptions<GitHubWebhookOptions> options,
        DeliveryStore deliveries,
        PullRequestIngest pullRequests,
        CheckRerunIngest reruns,
        JobEventIngest jobs,
        BindingProofs bindingProofs,
        Trust.OkToTestIngest okToTest,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var log = loggers.CreateLogger("ReviewBot.Webhooks");
        var o = options.Value;
        if (string.IsNullOrEmpty(o.WebhookSecret))
            return Problem(503, "Webhook secret not configured", "Set ReviewBot:GitHub:WebhookSecret; without it no delivery can be verified.");

        var body = await WebhookBody.ReadAsync(request, o.MaxBodyBytes, ct);
        if (body is null)
            return Problem(413, "Payload too large", $"The body exceeds {o.MaxBodyBytes} bytes.");

        var signature = request.Headers["X-Hub-Signature-256"].FirstOrDefault();
        if (!WebhookSignature.IsValid(o.WebhookSecret, body, signature))
        {
            LogSignatureRejected(log, request.Headers["X-GitHub-Delivery"].FirstOrDefault());
            return Problem(401, "Signature missing or not valid",
                signature is null ? "The X-Hub-Signature-256 header is missing." : "X-Hub-Signature-256 does not match the body and the configured secret.");
        }

        var eventName = request.Headers["X-GitHub-Event"].FirstOrDefault();
        var deliveryId = request.Headers["X-GitHub-Delivery"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(eventName)) return Problem(400, "Missing header", "The X-GitHub-Event header is required.", "X-GitHub-Event");
        if (string.IsNullOrWhiteSpace(deliveryId) || deliveryId.Length > 100) return Problem(400, "Missing header", "The X-GitHub-Delivery header is required (at most 100 characters).", "X-GitHub-Delivery");

        if (await deliveries.ExistsAsync("github", deliveryId, ct))
            return TypedResults.Ok(new WebhookAnswer("duplicate", $"delivery {deliveryId} was already processed", []));

        try
        {
            // "/reviewbot bind <code>" in a comment proves a chat user's binding (Reminders/Bindings/BindingProofs.cs).
            if (eventName == "issue_comment" && await bindingProofs.FromGitHubCommentAsync(body, ct) is { } bound) return TypedResults.Ok(bound);
            switch (eventName)
            {
                case "ping":
                    JsonDocument.Parse(body).Dispose();
                    return TypedResults.Ok(new WebhookAnswer("pong", "ReviewBot received the ping", []));
                case "pull_request":
                    var pr = JsonSerializer.Deserialize<PullRequestEvent>(body)
                        ?? throw new WebhookPayloadException("body", "is empty");
                    if (JobEventIngest.IsMerge(pr))
                        return await JobsAsync(eventName, pr.Action, deliveryId, await jobs.PullRequestMergedAsync(pr, deliveryId, ct), $"pull_request.closed (merged) of {pr.Repository?.FullName}#{pr.Number}", deliveries, ct);
                    if (pr.Action == "labeled") // the approval label of an untrusted pull request (Trust/)
                        return await Trust.ApprovalAnswers.ResultAsync(await okToTest.LabeledAsync(body, ct), deliveries, "github", deliveryId, eventName, pr.Action, ct);
                    if (!PullRequestIngest.NeedsReview(pr))
                        return TypedResults.Ok(new WebhookAnswer("ignored", $"pull_request.{pr.Action}{(pr.PullRequest?.Draft == true ? " (draft)" : "")} needs no review", []));
                    var outcome = await pullRequests.IngestAsync(pr, deliveryId, ct);
                    await deliveries.TryRecordAsync("github", deliveryId, eventName, pr.Action, outcome.Created, ct);
                    LogAccepted(log, deliveryId, pr.Repository?.FullName, (int)pr.Number, outcome.Created);
                    if (outcome.TaskIds.Count == 0)
                        return TypedResults.Ok(new WebhookAnswer("ignored", $"no linter is configured for {pr.Repository?.FullName}", []));
                    return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", $"{outcome.TaskIds.Count} task(s) for {pr.Repository?.FullName}#{pr.Number}" + (outcome.Superseded > 0 ? $"; {outcome.Superseded} task(s) of older pushes cancelled" : "") + (outcome.Waiting is { } w ? $"; {w}" : ""), outcome.TaskIds));
                case "create":
                    var created = JsonSerializer.Deserialize<CreateEvent>(body) ?? throw new WebhookPayloadException("body", "is empty");
                    return await JobsAsync(eventName, null, deliveryId, await jobs.CreateAsync(created, deliveryId, ct), $"create {created.RefType?.StringValue} {created.Ref}", deliveries, ct);
                case "release":
                    var release = JsonSerializer.Deserialize<ReleaseEvent>(body) ?? throw new WebhookPayloadException("body", "is empty");
                    return await JobsAsync(eventName, release.Action, deliveryId, await jobs.ReleaseAsync(release, deliveryId, ct), $"release.{release.Action} {release.Release?.TagName}", deliveries, ct);
                case "push":
                    var push = JsonSerializer.Deserialize<PushEvent>(body) ?? throw new WebhookPayloadException("body", "is empty");
                    return await JobsAsync(eventName, null, deliveryId, await jobs.PushAsync(push, deliveryId, ct), $"push to {push.Ref}{(push.Deleted ? " (deleted)" : "")}", deliveries, ct);
                case "issue_comment": // /ok-to-test (Trust/)
                    return await Trust.ApprovalAnswers.ResultAsync(await okToTest.CommentAsync(body, ct), deliveries, "github", deliveryId, eventName, null, ct);
                case "check_run" or "check_suite":
                    return await RerunAsync(eventName, body, deliveryId, reruns, deliveries, ct);
                default:
                    JsonDocument.Parse(body).Dispose();
                    return TypedResults.Ok(new WebhookAnswer("ignored", $"event '{eventName}' needs nothing", []));
            }
        }
        catch (JsonException e)
        {
            return Problem(400, "Payload is not valid JSON for this event", e.Message, e.Path is { Length: > 0 } p ? p : null);
        }
        catch (WebhookPayloadException e)
        {
            return Problem(400, "Payload incomplete", e.Message, e.Field);
        }
    }

    private static async Task<IResult> RerunAsync(string eventName, byte[] body, string deliveryId, CheckRerunIngest reruns, DeliveryStore deliveries, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(body);
        var action = doc.RootElement.TryGetProperty("action", out var a) ? a.GetString() : null;
        if (action != "rerequested")
            return TypedResults.Ok(new WebhookAnswer("ignored", $"{eventName}.{action} needs nothing", []));
        var ids = eventName == "check_run"
            ? await reruns.CheckRunAsync(JsonSerializer.Deserialize<CheckRunEvent>(body) ?? throw new WebhookPayloadException("body", "is empty"), deliveryId, ct)
            : await reruns.CheckSuiteAsync(JsonSerializer.Deserialize<CheckSuiteEvent>(body) ?? throw new WebhookPayloadException("body", "is empty"), deliveryId, ct);
        await deliveries.TryRecordAsync("github", deliveryId, eventName, action, ids.Count, ct);
        return ids.Count == 0
            ? TypedResults.Ok(new WebhookAnswer("ignored", $"no ReviewBot task ran on this {eventName.Replace('_', ' ')}", []))
            : TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", $"{ids.Count} linter run(s) queued again", ids));
    }

    /// <summary>The answer to an event that starts jobs: 202 with the tasks, or 200 "ignored" when no job matched.
    /// The delivery is recorded after the tasks exist.</summary>
    private static async Task<IResult> JobsAsync(string eventName, string? action, string deliveryId, IReadOnlyList<string> ids, string what, DeliveryStore deliveries, CancellationToken ct)
    {
        if (ids.Count == 0)
            return TypedResults.Ok(new WebhookAnswer("ignored", $"no job is triggered by {what}", []));
        await deliveries.TryRecordAsync("github", deliveryId, eventName, action, ids.Count, ct);
        return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", $"{ids.Count} job run(s) for {what}", ids));
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, string? field = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} refused: bad signature")]
    private static partial void LogSignatureRejected(ILogger logger, string? deliveryId);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Delivery {DeliveryId}: {Repository}#{Number}, {Created} new task(s)")]
    private static partial void LogAccepted(ILogger logger, string deliveryId, string? repository, int number, int created);
}

public sealed record WebhookAnswer(string Status, string Message, IReadOnlyList<string> Tasks);
