using System.Text.Json;
using Microsoft.Extensions.Options;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Events.CheckRun;
using ReviewBot.Functions.CodeHosts.GitHub.Fixes;
using ReviewBot.Functions.CodeHosts.GitHub.Reminders;
using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.Hosting;
using ReviewBot.Functions.Ingest;
using WebhookResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<ReviewBot.Functions.Ingest.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.Accepted<ReviewBot.Functions.Ingest.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>
/// <c>POST /api/github/webhook</c>: <see cref="WebhookReceiver"/> verifies (the <c>X-Hub-Signature-256</c> HMAC of
/// the body), deduplicates (<c>X-GitHub-Delivery</c>) and answers malformed payloads; this switch turns each event
/// into work: pull requests into tasks (<see cref="ChangeRequestIngest"/>), merges, tags and pushes into job runs,
/// re-run requests into re-runs, comments and labels into approvals and chat bindings.
/// </summary>
public static class GitHubWebhookEndpoints
{
    public const string Source = "github";

    public static IEndpointRouteBuilder MapGitHubWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<GitHubOptions>>();
        app.MapPost("/api/github/webhook", Receive).WithTags("Webhooks").DisableAntiforgery().WithRequestBodyLimit(() => options.Value.MaxBodyBytes);
        return app;
    }

    public static Task<WebhookResult> Receive(
        HttpRequest request,
        IOptions<GitHubOptions> options,
        DeliveryStore deliveries,
        GitHubSource sources,
        ChangeRequestIngest changes,
        CheckRerunIngest reruns,
        ApplyFixesRequest applyFixes,
        JobEventIngest jobs,
        BindComments bindComments,
        OkToTestIngest okToTest,
        ILoggerFactory loggers,
        CancellationToken ct) =>
        WebhookReceiver.ReceiveAsync(request, Gate(options.Value), deliveries, loggers.CreateLogger("ReviewBot.Webhooks"), async delivery =>
        {
            var body = delivery.Body;
            switch (delivery.EventName)
            {
                case "ping":
                    JsonDocument.Parse(body).Dispose();
                    return TypedResults.Ok(new WebhookAnswer("pong", "ReviewBot received the ping", []));
                case "pull_request":
                    var pr = GitHubPayload.Read<PullRequestEvent>(body);
                    if (JobEventIngest.IsMerge(pr))
                        return await JobsAsync(delivery, pr.Action, await jobs.PullRequestMergedAsync(pr, delivery.Id, ct), $"pull_request.closed (merged) of {pr.Repository?.FullName}#{pr.Number}", deliveries, ct);
                    if (pr.Action == "labeled") // the approval label of an untrusted pull request (Trust/)
                        return await IngestAnswers.ApprovalAsync(delivery, pr.Action, await okToTest.LabeledAsync(body, ct), deliveries, ct);
                    if (!PullRequestChange.NeedsReview(pr))
                        return WebhookReceiver.Ignored($"pull_request.{pr.Action}{(pr.PullRequest?.Draft == true ? " (draft)" : "")} needs no review");
                    var change = PullRequestChange.From(pr, delivery.Id, sources);
                    return await IngestAnswers.ChangeRequestAsync(delivery, pr.Action, change.Repository, change.Name, await changes.IngestAsync(change, ct), deliveries, ct);
                case "create":
                    var created = GitHubPayload.Read<CreateEvent>(body);
                    return await JobsAsync(delivery, null, await jobs.CreateAsync(created, delivery.Id, ct), $"create {created.RefType?.StringValue} {created.Ref}", deliveries, ct);
                case "release":
                    var release = GitHubPayload.Read<ReleaseEvent>(body);
                    return await JobsAsync(delivery, release.Action, await jobs.ReleaseAsync(release, delivery.Id, ct), $"release.{release.Action} {release.Release?.TagName}", deliveries, ct);
                case "push":
                    var push = GitHubPayload.Read<PushEvent>(body);
                    return await JobsAsync(delivery, null, await jobs.PushAsync(push, delivery.Id, ct), $"push to {push.Ref}{(push.Deleted ? " (deleted)" : "")}", deliveries, ct);
                case "issue_comment":
                    // "/reviewbot bind <code>" proves a chat user's binding (Reminders/Bindings/); else maybe /ok-to-test (Trust/).
                    if (await bindComments.FromCommentAsync(body, ct) is { } bound) return TypedResults.Ok(bound);
                    return await IngestAnswers.ApprovalAsync(delivery, null, await okToTest.CommentAsync(body, ct), deliveries, ct);
                case "check_run" when IsRequestedAction(body):
                    // "Apply N fixes" clicked on a check run (CodeHosts/GitHub/Fixes): answered 200 whatever the outcome.
                    var clicked = GitHubPayload.Read<CheckRunEvent>(body) as CheckRunRequestedActionEvent
                        ?? throw new WebhookPayloadException("action", "'requested_action' was not read as a requested action");
                    var applied = await applyFixes.HandleAsync(clicked, ct);
                    if (applied.Status != "ignored") await delivery.RecordAsync(deliveries, "requested_action", 0, ct);
                    return TypedResults.Ok(new WebhookAnswer(applied.Status, applied.Message, []));
                case "check_run" or "check_suite":
                    return await RerunAsync(delivery, reruns, deliveries, ct);
                default:
                    JsonDocument.Parse(body).Dispose();
                    return WebhookReceiver.Ignored($"event '{delivery.EventName}' needs nothing");
            }
        }, ct);

    /// <summary>A delivery is authentic when <c>X-Hub-Signature-256</c> is the HMAC of its body with the secret; the
    /// header's form is checked before the body is read.</summary>
    private static WebhookGate Gate(GitHubOptions o) => new(Source, o.WebhookSecret, $"{GitHubOptions.Section}:WebhookSecret", o.MaxBodyBytes, "X-GitHub-Event", "X-GitHub-Delivery")
    {
        BeforeBody = request => Signature(request) is var signature && WebhookSignature.IsWellFormed(signature) ? null
            : new WebhookRefusal("Signature missing or not valid",
                signature is null ? "The X-Hub-Signature-256 header is missing." : "X-Hub-Signature-256 is not \"sha256=\" followed by 64 hex digits."),
        OnBody = (request, body) => WebhookSignature.IsValid(o.WebhookSecret!, body, Signature(request)) ? null
            : new WebhookRefusal("Signature missing or not valid", "X-Hub-Signature-256 does not match the body and the configured secret."),
        DeliveryId = (request, _) => request.Headers["X-GitHub-Delivery"].FirstOrDefault(),
    };

    private static string? Signature(HttpRequest request) => request.Headers["X-Hub-Signature-256"].FirstOrDefault();

    private static bool IsRequestedAction(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return GitHubPayload.Action(doc) == "requested_action";
    }

    private static async Task<WebhookResult> RerunAsync(WebhookDelivery delivery, CheckRerunIngest reruns, DeliveryStore deliveries, CancellationToken ct)
    {
        var eventName = delivery.EventName;
        using var doc = JsonDocument.Parse(delivery.Body);
        var action = GitHubPayload.Action(doc);
        if (action != "rerequested") return WebhookReceiver.Ignored($"{eventName}.{action} needs nothing");
        var outcome = eventName == "check_run"
            ? await reruns.CheckRunAsync(GitHubPayload.Read<CheckRunEvent>(delivery.Body), delivery.Id, ct)
            : await reruns.CheckSuiteAsync(GitHubPayload.Read<CheckSuiteEvent>(delivery.Body), delivery.Id, ct);
        var ids = outcome.TaskIds;
        await delivery.RecordAsync(deliveries, action, ids.Count, ct);
        return ids.Count == 0
            ? WebhookReceiver.Ignored(outcome.WhyNone ?? $"no ReviewBot task ran on this {eventName.Replace('_', ' ')}")
            : TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", $"{ids.Count} linter run(s) queued again", ids));
    }

    /// <summary>The answer to an event that starts jobs: 202 with the tasks, or 200 "ignored" when no job matched.
    /// The delivery is recorded after the tasks exist.</summary>
    private static async Task<WebhookResult> JobsAsync(WebhookDelivery delivery, string? action, IReadOnlyList<string> ids, string what, DeliveryStore deliveries, CancellationToken ct)
    {
        if (ids.Count == 0) return WebhookReceiver.Ignored($"no job is triggered by {what}");
        await delivery.RecordAsync(deliveries, action, ids.Count, ct);
        return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", $"{ids.Count} job run(s) for {what}", ids));
    }
}
