using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Functions.Hosting.Diagnostics;
using ReviewBot.Functions.Hosting.Http;
using static ReviewBot.Functions.Hosting.Http.Problems;
using WebhookResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<ReviewBot.Functions.Ingest.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.Accepted<ReviewBot.Functions.Ingest.WebhookAnswer>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// How one code host's webhook authenticates and names its deliveries; <see cref="WebhookReceiver"/> does the rest.
/// </summary>
/// <param name="Source">The delivery ledger's partition for this host (<see cref="DeliveryStore"/>): "github", "gitlab".</param>
/// <param name="Secret">The webhook secret; without one every delivery is refused (503), since none can be verified.</param>
/// <param name="SecretSetting">The setting that holds it, named in the 503.</param>
/// <param name="EventHeader">The header naming the event (required).</param>
/// <param name="DeliveryHeader">The header naming the delivery: logged with a refusal, named in the 400 when
/// <see cref="DeliveryId"/> finds no usable id.</param>
public sealed record WebhookGate(string Source, string? Secret, string SecretSetting, int MaxBodyBytes, string EventHeader, string DeliveryHeader)
{
    /// <summary>Checked before the body is read, so a sender without the secret cannot make the app buffer a body:
    /// null to go on, else why the delivery is refused (401).</summary>
    public required Func<HttpRequest, WebhookRefusal?> BeforeBody { get; init; }

    /// <summary>Checked on the body once read (a signature over it); null when there is nothing more to check.</summary>
    public Func<HttpRequest, byte[], WebhookRefusal?>? OnBody { get; init; }

    /// <summary>The delivery's id (at most 100 characters), or null when the request carries none usable (400).</summary>
    public required Func<HttpRequest, byte[], string?> DeliveryId { get; init; }
}

/// <summary>Why a delivery is not authentic: the 401's title and detail.</summary>
public sealed record WebhookRefusal(string Title, string Detail);

/// <summary>A verified delivery not seen before, handed to the host's event switch.</summary>
public sealed record WebhookDelivery(string Source, string EventName, string Id, byte[] Body)
{
    /// <summary>Records the delivery once its work is persisted: a redelivery is then answered "duplicate". Not called
    /// for a delivery that changed nothing, so a redelivery decides again.</summary>
    public Task RecordAsync(DeliveryStore deliveries, string? action, int tasksCreated, CancellationToken ct) =>
        deliveries.TryRecordAsync(Source, Id, EventName, action, tasksCreated, ct);
}

/// <summary>
/// The steps every code host's webhook shares, in this order: the secret is configured (503); the request is
/// authentic before its body is read (401); the body is within the limit (413) and, where the host signs it, authentic
/// (401); the event and delivery are named (400); the delivery was not processed before (200 "duplicate"); every JSON
/// string in it is text (<see cref="WebhookText"/>). Then the host's handler runs; a payload it finds malformed
/// (<see cref="JsonException"/>, <see cref="WebhookPayloadException"/>) is a 400 naming the field. Nothing is stored for
/// a refused delivery, and the handler records the delivery only after its tasks exist, so a crash in between is
/// repaired by the host's redelivery rather than losing the work.
/// </summary>
public static partial class WebhookReceiver
{
    public static async Task<WebhookResult> ReceiveAsync(HttpRequest request, WebhookGate gate, DeliveryStore deliveries, ILogger log,
        Func<WebhookDelivery, Task<WebhookResult>> handle, CancellationToken ct)
    {
        // The delivery's span is the root of its trace below the request's: every task it creates is its child.
        var started = Stopwatch.GetTimestamp();
        using var span = ReviewBotTracing.Source.StartActivity("reviewbot.delivery");
        span?.SetTag("reviewbot.host", gate.Source);
        var eventName = request.Headers[gate.EventHeader].FirstOrDefault();
        span?.SetTag("reviewbot.event", eventName);
        span?.SetTag("reviewbot.delivery.id", request.Headers[gate.DeliveryHeader].FirstOrDefault());
        WebhookResult? result = null;
        try
        {
            result = await ReceiveCoreAsync(request, gate, deliveries, log, handle, ct);
            return result;
        }
        finally
        {
            var outcome = result is null ? "error" : IngestMetrics.OutcomeOf(result.Result);
            span?.SetTag("reviewbot.outcome", outcome);
            if (result is null || result.Result is ProblemHttpResult) span?.SetStatus(ActivityStatusCode.Error, outcome);
            request.HttpContext.RequestServices.GetService<IngestMetrics>()?.Delivered(gate.Source, eventName, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    private static async Task<WebhookResult> ReceiveCoreAsync(HttpRequest request, WebhookGate gate, DeliveryStore deliveries, ILogger log,
        Func<WebhookDelivery, Task<WebhookResult>> handle, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(gate.Secret))
            return Problem(503, "Webhook secret not configured", $"Set {gate.SecretSetting}; without it no delivery can be verified.");

        if (gate.BeforeBody(request) is { } early) return Refused(request, gate, early, log);

        var body = await WebhookBody.ReadAsync(request, gate.MaxBodyBytes, ct);
        if (body is null)
            return Problem(413, "Payload too large", $"The body exceeds {gate.MaxBodyBytes} bytes.");

        if (gate.OnBody?.Invoke(request, body) is { } late) return Refused(request, gate, late, log);

        var eventName = request.Headers[gate.EventHeader].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(eventName)) return Problem(400, "Missing header", $"The {gate.EventHeader} header is required.", gate.EventHeader);
        if (gate.DeliveryId(request, body) is not { Length: > 0 and <= 100 } deliveryId || string.IsNullOrWhiteSpace(deliveryId))
            return Problem(400, "Missing header", $"The {gate.DeliveryHeader} header is required (at most 100 characters).", gate.DeliveryHeader);

        if (await deliveries.ExistsAsync(gate.Source, deliveryId, ct))
            return TypedResults.Ok(new WebhookAnswer("duplicate", $"delivery {deliveryId} was already processed", []));

        try
        {
            WebhookText.Check(body);
            return await handle(new WebhookDelivery(gate.Source, eventName, deliveryId, body));
        }
        catch (JsonException e)
        {
            return Problem(400, "Payload is not valid JSON for this event", e.Message, FieldOf(e));
        }
        catch (WebhookPayloadException e)
        {
            return Problem(400, "Payload incomplete", e.Message, e.Field);
        }
    }

    /// <summary>200 "ignored": the delivery needs nothing (not recorded: a redelivery decides again).</summary>
    public static Ok<WebhookAnswer> Ignored(string why) => TypedResults.Ok(new WebhookAnswer("ignored", why, []));

    /// <summary>The field a <see cref="JsonException"/> is about, as the other problems name fields ("pull_request.updated_at").</summary>
    public static string? FieldOf(JsonException e) => e.Path switch
    {
        null or "" => null,
        "$" => "body",
        var p when p.StartsWith("$.", StringComparison.Ordinal) => p[2..],
        var p => p,
    };

    private static ProblemHttpResult Refused(HttpRequest request, WebhookGate gate, WebhookRefusal refusal, ILogger log)
    {
        LogRefused(log, gate.Source, request.Headers[gate.DeliveryHeader].FirstOrDefault(), refusal.Title);
        return Problem(401, refusal.Title, refusal.Detail);
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "{Source} delivery {DeliveryId} refused: {Why}")]
    private static partial void LogRefused(ILogger logger, string source, string? deliveryId, string why);
}
