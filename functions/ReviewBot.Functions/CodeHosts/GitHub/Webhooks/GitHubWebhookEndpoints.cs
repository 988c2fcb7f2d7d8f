using System.Text.Json;
using Microsoft.Extensions.Options;
using Octokit.Webhooks.Events;
using ReviewBot.Functions.Hosting;
using ReviewBot.Functions.Hosting.Http;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Reminders.Bindings;
using static ReviewBot.Functions.Hosting.Http.Problems;
using WebhookResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.Accepted<ReviewBot.Functions.CodeHosts.GitHub.Webhooks.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>
/// <c>POST /api/github/webhook</c>: verify, deduplicate, persist the work, answer. Nothing is stored for a delivery
/// that fails verification; the delivery row is written last, after its tasks, so a crash in between is repaired
/// by GitHub's redelivery rather than losing the work.
/// </summary>
public static partial class GitHubWebhookEndpoints
{
    public static IEndpointRouteBuilder MapGitHubWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<GitHubWebhookOptions>>();
        app.MapPost("/api/github/webhook", Receive).WithTags("Webhooks").DisableAntiforgery().WithRequestBodyLimit(() => options.Value.MaxBodyBytes);
        return app;
    }

    public static async Task<WebhookResult> Receive(
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

        // The header's form is checked before the body is read: an unauthenticated sender cannot make us buffer 25 MB.
        var signature = request.Headers["X-Hub-Signature-256"].FirstOrDefault();
        if (!WebhookSignature.IsWellFormed(signature))
        {
            LogSignatureRejected(log, request.Headers["X-GitHub-Delivery"].FirstOrDefault());
            return Problem(401, "Signature missing or not valid",
                signature is null ? "The X-Hub-Signature-256 header is missing." : "X-Hub-Signature-256 is not \"sha256=\" followed by 64 hex digits.");
        }

        var body = await WebhookBody.ReadAsync(request, o.MaxBodyBytes, ct);
        if (body is null)
            return Problem(413, "Payload too large", $"The body exceeds {o.MaxBodyBytes} bytes.");

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
            WebhookText.Check(body);
            // "/reviewbot bind <code>" in a comment proves a chat user's binding (Reminders/Bindings/BindingProofs.cs).
            if (eventName == "issue_comment" && await bindingProofs.FromGitHubCommentAsync(body, ct) is { } bound) return TypedResults.Ok(bound);
            switch (eventName)
            {
                case "ping":
                    JsonDocument.Parse(body).Dispose();
                    return TypedResults.Ok(new WebhookAnswer("pong", "ReviewBot received the ping", []));
                case "pull_request":
                    var pr = GitHubPayload.Read<PullRequestEvent>(body);
                    if (JobEventIngest.IsMerge(pr))
                        return await JobsAsync(eventName, pr.Action, deliveryId, await jobs.PullRequestMergedAsync(pr, deliveryId, ct), $"pull_request.closed (merged) of {pr.Repository?.FullName}#{pr.Number}", deliveries, ct);
                    if (pr.Action == "labeled") // the approval label of an untrusted pull request (Trust/)
                        return await Functions.Trust.ApprovalAnswers.ResultAsync(await okToTest.LabeledAsync(body, ct), deliveries, "github", deliveryId, eventName, pr.Action, ct);
                    if (!PullRequestIngest.NeedsReview(pr))
                        return TypedResults.Ok(new WebhookAnswer("ignored", $"pull_request.{pr.Action}{(pr.PullRequest?.Draft == true ? " (draft)" : "")} needs no review", []));
                    var outcome = await pullRequests.IngestAsync(pr, deliveryId, ct);
                    await deliveries.TryRecordAsync("github", deliveryId, eventName, pr.Action, outcome.Created, ct);
                    LogAccepted(log, deliveryId, pr.Repository?.FullName, (int)pr.Number, outcome.Created);
                    if (outcome.TaskIds.Count == 0)
                        return TypedResults.Ok(new WebhookAnswer("ignored", $"no linter is configured for {pr.Repository?.FullName}", []));
                    return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", $"{outcome.TaskIds.Count} task(s) for {pr.Repository?.FullName}#{pr.Number}" + (outcome.Superseded > 0 ? $"; {outcome.Superseded} task(s) of older pushes cancelled" : "") + (outcome.Waiting is { } w ? $"; {w}" : ""), outcome.TaskIds));
                case "create":
                    var created = GitHubPayload.Read<CreateEvent>(body);
                    return await JobsAsync(eventName, null, deliveryId, await jobs.CreateAsync(created, deliveryId, ct), $"create {created.RefType?.StringValue} {created.Ref}", deliveries, ct);
                case "release":
                    var release = GitHubPayload.Read<ReleaseEvent>(body);
                    return await JobsAsync(eventName, release.Action, deliveryId, await jobs.ReleaseAsync(release, deliveryId, ct), $"release.{release.Action} {release.Release?.TagName}", deliveries, ct);
                case "push":
                    var push = GitHubPayload.Read<PushEvent>(body);
                    return await JobsAsync(eventName, null, deliveryId, await jobs.PushAsync(push, deliveryId, ct), $"push to {push.Ref}{(push.Deleted ? " (deleted)" : "")}", deliveries, ct);
                case "issue_comment": // /ok-to-test (Trust/)
                    return await Functions.Trust.ApprovalAnswers.ResultAsync(await okToTest.CommentAsync(body, ct), deliveries, "github", deliveryId, eventName, null, ct);
                case "check_run" or "check_suite":
                    return await RerunAsync(eventName, body, deliveryId, reruns, deliveries, ct);
                default:
                    JsonDocument.Parse(body).Dispose();
                    return TypedResults.Ok(new WebhookAnswer("ignored", $"event '{eventName}' needs nothing", []));
            }
        }
        catch (JsonException e)
        {
            return Problem(400, "Payload is not valid JSON for this event", e.Message, GitHubPayload.FieldOf(e));
        }
        catch (WebhookPayloadException e)
        {
            return Problem(400, "Payload incomplete", e.Message, e.Field);
        }
    }

    private static async Task<WebhookResult> RerunAsync(string eventName, byte[] body, string deliveryId, CheckRerunIngest reruns, DeliveryStore deliveries, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(body);
        var action = GitHubPayload.Action(doc);
        if (action != "rerequested")
            return TypedResults.Ok(new WebhookAnswer("ignored", $"{eventName}.{action} needs nothing", []));
        var outcome = eventName == "check_run"
            ? await reruns.CheckRunAsync(GitHubPayload.Read<CheckRunEvent>(body), deliveryId, ct)
            : await reruns.CheckSuiteAsync(GitHubPayload.Read<CheckSuiteEvent>(body), deliveryId, ct);
        var ids = outcome.TaskIds;
        await deliveries.TryRecordAsync("github", deliveryId, eventName, action, ids.Count, ct);
        return ids.Count == 0
            ? TypedResults.Ok(new WebhookAnswer("ignored", outcome.WhyNone ?? $"no ReviewBot task ran on this {eventName.Replace('_', ' ')}", []))
            : TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", $"{ids.Count} linter run(s) queued again", ids));
    }

    /// <summary>The answer to an event that starts jobs: 202 with the tasks, or 200 "ignored" when no job matched.
    /// The delivery is recorded after the tasks exist.</summary>
    private static async Task<WebhookResult> JobsAsync(string eventName, string? action, string deliveryId, IReadOnlyList<string> ids, string what, DeliveryStore deliveries, CancellationToken ct)
    {
        if (ids.Count == 0)
            return TypedResults.Ok(new WebhookAnswer("ignored", $"no job is triggered by {what}", []));
        await deliveries.TryRecordAsync("github", deliveryId, eventName, action, ids.Count, ct);
        return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", $"{ids.Count} job run(s) for {what}", ids));
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} refused: bad signature")]
    private static partial void LogSignatureRejected(ILogger logger, string? deliveryId);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Delivery {DeliveryId}: {Repository}#{Number}, {Created} new task(s)")]
    private static partial void LogAccepted(ILogger logger, string deliveryId, string? repository, int number, int created);
}

public sealed record WebhookAnswer(string Status, string Message, IReadOnlyList<string> Tasks);
