using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using ReviewBot.Core;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>
/// Reads a GitHub delivery into its Octokit.Webhooks type so that a sender's mistake is a 400 naming the field, never
/// a 500: every malformed value becomes a <see cref="JsonException"/> with its path, and the fields ReviewBot uses are
/// checked against <see cref="FieldLimits"/> (<see cref="WebhookPayloadException"/>).
/// </summary>
public static class GitHubPayload
{
    /// <summary>Octokit's own date converters throw <see cref="FormatException"/> and <see cref="ArgumentOutOfRangeException"/>,
    /// which System.Text.Json does not turn into a <see cref="JsonException"/> with a path; these replace them.</summary>
    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { ReplaceDateConverters } },
    };

    /// <summary>The event, checked; <typeparamref name="T"/> is one of the events ReviewBot acts on.</summary>
    public static T Read<T>(byte[] body) where T : WebhookEvent
    {
        T? e;
        try
        {
            e = JsonSerializer.Deserialize<T>(body, Options);
        }
        catch (JsonException x) when (x.Path == "$" && IsObject(body))
        {
            // Octokit picks the event's type by its action and refuses the whole body for one it does not know.
            using var doc = JsonDocument.Parse(body);
            throw new WebhookPayloadException("action", Action(doc) is { } action ? $"'{action}' is not an action of this event" : "is missing");
        }
        if (e is null) throw new WebhookPayloadException("body", "is empty");
        Check(e);
        return e;
    }

    private static bool IsObject(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException) { return false; }
    }

    /// <summary>The fields each event stores or looks tasks up with, against their caps; the pull request's number
    /// within 1..<see cref="int.MaxValue"/> (it is narrowed to the protocol's <c>int</c>: it must not wrap).</summary>
    private static void Check(WebhookEvent e)
    {
        Cap("repository.full_name", e.Repository?.FullName, FieldLimits.Repository);
        Cap("repository.clone_url", e.Repository?.CloneUrl, FieldLimits.CloneUrl);
        switch (e)
        {
            case PullRequestEvent pr:
                Cap("action", pr.Action, FieldLimits.Name);
                if (pr.PullRequest is { } numbered) Number("pull_request.number", numbered.Number);
                Number("number", pr.Number);
                if (pr.PullRequest is not { } p) break;
                Cap("pull_request.head.ref", p.Head?.Ref, FieldLimits.Ref);
                Cap("pull_request.head.sha", p.Head?.Sha, FieldLimits.Sha);
                Cap("pull_request.base.ref", p.Base?.Ref, FieldLimits.Ref);
                Cap("pull_request.base.sha", p.Base?.Sha, FieldLimits.Sha);
                Cap("pull_request.merge_commit_sha", p.MergeCommitSha, FieldLimits.Sha);
                break;
            case CreateEvent create:
                Cap("ref", create.Ref, FieldLimits.Ref);
                break;
            case ReleaseEvent release:
                Cap("action", release.Action, FieldLimits.Name);
                Cap("release.tag_name", release.Release?.TagName, FieldLimits.Ref);
                break;
            case PushEvent push:
                Cap("ref", push.Ref, FieldLimits.Ref);
                Cap("after", push.After, FieldLimits.Sha);
                break;
            case CheckRunEvent run:
                Cap("check_run.name", run.CheckRun?.Name, FieldLimits.Name);
                Cap("check_run.external_id", run.CheckRun?.ExternalId, FieldLimits.Name);
                Cap("check_run.head_sha", run.CheckRun?.HeadSha, FieldLimits.Sha);
                break;
            case CheckSuiteEvent suite:
                Cap("check_suite.head_sha", suite.CheckSuite?.HeadSha, FieldLimits.Sha);
                break;
        }
    }

    private static void Number(string field, long number)
    {
        if (number is < 1 or > FieldLimits.MaxNumber)
            throw new WebhookPayloadException(field, $"is {number}; a pull request number is between 1 and {FieldLimits.MaxNumber}");
    }

    private static void Cap(string field, string? value, int max)
    {
        if (FieldLimits.Exceeds(value, max) is { } problem) throw new WebhookPayloadException(field, problem);
    }

    /// <summary>The <c>action</c> of a delivery read without its type (check_run, check_suite): null when absent; the
    /// body must be an object and the action a string.</summary>
    public static string? Action(JsonDocument doc)
    {
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new WebhookPayloadException("body", "is not a JSON object");
        if (!doc.RootElement.TryGetProperty("action", out var a) || a.ValueKind == JsonValueKind.Null) return null;
        if (a.ValueKind != JsonValueKind.String) throw new WebhookPayloadException("action", $"must be a string, found {a.ValueKind.ToString().ToLowerInvariant()}");
        var action = a.GetString()!;
        Cap("action", action, FieldLimits.Name);
        return action;
    }

    /// <summary>The field a <see cref="JsonException"/> is about, as the other problems name fields ("pull_request.updated_at").</summary>
    public static string? FieldOf(JsonException e) => e.Path switch
    {
        null or "" => null,
        "$" => "body",
        var p when p.StartsWith("$.", StringComparison.Ordinal) => p[2..],
        var p => p,
    };

    private static void ReplaceDateConverters(JsonTypeInfo type)
    {
        foreach (var p in type.Properties)
        {
            if (p.PropertyType == typeof(DateTimeOffset)) p.CustomConverter = new DateConverter();
            else if (p.PropertyType == typeof(DateTimeOffset?)) p.CustomConverter = new NullableDateConverter();
        }
    }

    /// <summary>What GitHub sends for a time: an ISO 8601 string, or Unix seconds (<c>repository.pushed_at</c> of a push).</summary>
    private static DateTimeOffset ReadDate(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds)
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        throw new JsonException("The value is not a date (ISO 8601 text or Unix seconds).");
    }

    private sealed class DateConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadDate(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private sealed class NullableDateConverter : JsonConverter<DateTimeOffset?>
    {
        public override bool HandleNull => true;

        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : ReadDate(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            if (value is { } v) writer.WriteStringValue(v); else writer.WriteNullValue();
        }
    }
}
