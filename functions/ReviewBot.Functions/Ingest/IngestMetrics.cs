using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Functions.Hosting.Diagnostics;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// Webhook deliveries (meter <c>ReviewBot.Ingest</c>): <c>reviewbot.deliveries</c> counts them and
/// <c>reviewbot.webhook.ingest_time</c> measures how long the app took to answer one (verification, the delivery ledger,
/// the configuration read, the tasks created). Tags: <c>host</c> (github, gitlab), <c>event</c> (the host's event
/// name, or "none" before it is known; a bounded set the hosts define), <c>outcome</c> (the answer's status: accepted,
/// ignored, duplicate…, or the problem's status code).
/// </summary>
public sealed class IngestMetrics
{
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _ingestTime;

    public IngestMetrics(ReviewBotMeters meters)
    {
        var meter = meters.Create("Ingest");
        _deliveries = meter.CreateCounter<long>("reviewbot.deliveries", "{delivery}", "Webhook deliveries received, by how they were answered.");
        _ingestTime = ReviewBotMeters.Seconds(meter, "reviewbot.webhook.ingest_time", "Time from a webhook delivery's arrival to its answer.");
    }

    internal void Delivered(string host, string? eventName, string outcome, TimeSpan took)
    {
        var tags = new TagList { { "host", host }, { "event", string.IsNullOrEmpty(eventName) ? TagCap.None : Bounded(eventName) }, { "outcome", outcome } };
        _deliveries.Add(1, tags);
        _ingestTime.Record(took.TotalSeconds, tags);
    }

    /// <summary>Event names are the host's, but a sender with the secret could invent any: anything longer than a
    /// real one or with unusual characters is "other".</summary>
    private static string Bounded(string name) =>
        name.Length <= 40 && name.All(c => char.IsAsciiLetterLower(c) || c is '_' or ' ' || char.IsAsciiLetterUpper(c)) ? name : TagCap.Other;

    /// <summary>What the answer says: its status, or the problem's status code.</summary>
    internal static string OutcomeOf(IResult result) => result switch
    {
        Ok<WebhookAnswer> ok => ok.Value?.Status ?? "ok",
        Accepted<WebhookAnswer> accepted => accepted.Value?.Status ?? "accepted",
        IStatusCodeHttpResult { StatusCode: { } code } => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "other",
    };
}
