using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
using ReviewBot.Functions.Hosting;
using ReviewBot.Functions.Ingest;
using WebhookResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<ReviewBot.Functions.Ingest.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.Accepted<ReviewBot.Functions.Ingest.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>
/// <c>POST /api/gitlab/webhook</c>: <see cref="WebhookReceiver"/> checks the secret token, deduplicates and answers
/// malformed payloads; merge request hooks become tasks (<see cref="ChangeRequestIngest"/>), notes approvals, merges,
/// tag pushes and pushes job runs (<see cref="GitLabJobHooks"/>).
/// Deliveries are identified by <c>X-Gitlab-Event-UUID</c>, else <c>Idempotency-Key</c>, else the SHA-256 of the body.
/// </summary>
public static class GitLabWebhookEndpoints
{
    public const string Source = "gitlab";

    public static IEndpointRouteBuilder MapGitLabWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<GitLabOptions>>();
        app.MapPost("/api/gitlab/webhook", Receive).WithTags("Webhooks").DisableAntiforgery().WithRequestBodyLimit(() => options.Value.MaxBodyBytes);
        return app;
    }

    public static Task<WebhookResult> Receive(
        HttpRequest request,
        IOptions<GitLabOptions> options,
        DeliveryStore deliveries,
        GitLabSource sources,
        ChangeRequestIngest changes,
        MergeRequestChanges mergeRequests,
        OkToTestNoteIngest notes,
        GitLabJobHooks jobs,
        ILoggerFactory loggers,
        CancellationToken ct) =>
        WebhookReceiver.ReceiveAsync(request, Gate(options.Value), deliveries, loggers.CreateLogger("ReviewBot.GitLab.Webhooks"), async delivery =>
        {
            if (delivery.EventName == "Note Hook") // /ok-to-test (Trust/)
                return await IngestAnswers.ApprovalAsync(delivery, null, await notes.NoteAsync(NoteHook.Parse(delivery.Body), ct), deliveries, ct);
            if (delivery.EventName is "Push Hook" or "Tag Push Hook" || delivery.EventName == "Merge Request Hook" && GitLabJobHooks.IsMerge(delivery.Body))
                return await JobsAsync(delivery, await jobs.FireAsync(delivery.EventName, delivery.Body, delivery.Id, ct), deliveries, ct);
            if (delivery.EventName != "Merge Request Hook")
            {
                JsonDocument.Parse(delivery.Body).Dispose();
                return WebhookReceiver.Ignored($"event '{delivery.EventName}' needs nothing");
            }
            var hook = MergeRequestHook.Parse(delivery.Body);
            if (!hook.NeedsReview) return WebhookReceiver.Ignored(hook.WhyIgnored);
            var allowLocal = sources.CheckMergeRequest(hook);
            // The base commit and a fork author's access cost API calls: read only when some linter applies.
            var outcome = changes.Reviews(hook.Repository)
                ? await changes.IngestAsync(await mergeRequests.FromAsync(hook, delivery.Id, allowLocal, ct), ct)
                : IngestOutcome.None;
            return await IngestAnswers.ChangeRequestAsync(delivery, hook.Action, hook.Repository, $"{hook.Repository}!{hook.Iid}", outcome, deliveries, ct);
        }, ct);

    /// <summary>The answer to a hook that may start jobs: 202 with the runs, or 200 "ignored" when no job matched.
    /// The delivery is recorded after the runs exist.</summary>
    private static async Task<WebhookResult> JobsAsync(WebhookDelivery delivery, GitLabJobOutcome outcome, DeliveryStore deliveries, CancellationToken ct)
    {
        var ids = outcome.TaskIds;
        if (ids.Count == 0) return WebhookReceiver.Ignored($"no job is triggered by {outcome.What}");
        await delivery.RecordAsync(deliveries, null, ids.Count, ct);
        return TypedResults.Accepted((string?)null, new WebhookAnswer("accepted", $"{ids.Count} job run(s) for {outcome.What}", ids));
    }

    /// <summary>A delivery is authentic when <c>X-Gitlab-Token</c> is the secret, checked before the body is read.</summary>
    private static WebhookGate Gate(GitLabOptions o) => new(Source, o.WebhookSecret, $"{GitLabOptions.Section}:WebhookSecret", o.MaxBodyBytes, "X-Gitlab-Event", "X-Gitlab-Event-UUID")
    {
        BeforeBody = request => request.Headers["X-Gitlab-Token"].FirstOrDefault() is var token && TokenMatches(o.WebhookSecret!, token) ? null
            : new WebhookRefusal("Token missing or not valid",
                token is null ? "The X-Gitlab-Token header is missing." : "X-Gitlab-Token does not match the configured secret."),
        DeliveryId = DeliveryId,
    };

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
}
