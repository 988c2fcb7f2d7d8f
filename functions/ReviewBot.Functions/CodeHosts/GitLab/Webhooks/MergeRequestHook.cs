using System.Globalization;
using System.Text.Json;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>
/// The fields of a GitLab <c>Merge Request Hook</c> that ReviewBot uses. <see cref="Parse"/> names the missing or
/// mistyped field (<see cref="WebhookPayloadException"/>, answered with 400).
/// </summary>
/// <param name="ProjectId"><c>project.id</c>: the target project, whose API paths hold the merge request.</param>
/// <param name="Repository"><c>project.path_with_namespace</c>, the key of the configuration.</param>
/// <param name="OldRev"><c>object_attributes.oldrev</c>: present on an update only when commits were pushed.</param>
public sealed record MergeRequestHook(
    long ProjectId,
    string Repository,
    int Iid,
    string Action,
    string State,
    bool Draft,
    string HeadSha,
    string? OldRev,
    string SourceBranch,
    string TargetBranch,
    string CloneUrl,
    DateTimeOffset? UpdatedAt)
{
    /// <summary>Who wrote it and where its commits live, for the trust policy (Trust/GitLabMembers.cs); unknown fields are null.</summary>
    public MergeRequestOriginFields Origin { get; init; } = MergeRequestOriginFields.Unknown;

    /// <summary>Actions that put new code in front of reviewers; <c>update</c> only with <see cref="OldRev"/>.</summary>
    public bool NeedsReview =>
        !Draft && State == "opened" && (Action is "open" or "reopen" || Action == "update" && !string.IsNullOrEmpty(OldRev));

    /// <summary>Why a hook needs no review, for the 200 answer.</summary>
    public string WhyIgnored =>
        Draft ? $"merge request !{Iid} is a draft"
        : State != "opened" ? $"merge request !{Iid} is {State}"
        : Action == "update" ? $"update of !{Iid} without new commits (no oldrev)"
        : $"merge_request.{Action} needs no review";

    public static MergeRequestHook Parse(ReadOnlySpan<byte> body)
    {
        using var doc = JsonDocument.Parse(body.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new WebhookPayloadException("body", "is not a JSON object");
        var kind = OptionalString(root, "object_kind");
        if (kind is not null && kind != "merge_request") throw new WebhookPayloadException("object_kind", $"is '{kind}', not 'merge_request'");
        var project = Required(root, "project", JsonValueKind.Object);
        var attributes = Required(root, "object_attributes", JsonValueKind.Object);
        var source = Required(attributes, "source", JsonValueKind.Object, "object_attributes.source");
        var lastCommit = Required(attributes, "last_commit", JsonValueKind.Object, "object_attributes.last_commit");
        return MergeRequestHookLimits.Check(new MergeRequestHook(
            ProjectId: Number(project, "id", "project.id"),
            Repository: String(project, "path_with_namespace", "project.path_with_namespace"),
            Iid: MergeRequestHookLimits.Iid(Number(attributes, "iid", "object_attributes.iid")),
            Action: OptionalString(attributes, "action") ?? "",
            State: String(attributes, "state", "object_attributes.state"),
            Draft: Flag(attributes, "draft") || Flag(attributes, "work_in_progress"),
            HeadSha: String(lastCommit, "id", "object_attributes.last_commit.id"),
            OldRev: OptionalString(attributes, "oldrev"),
            SourceBranch: String(attributes, "source_branch", "object_attributes.source_branch"),
            TargetBranch: String(attributes, "target_branch", "object_attributes.target_branch"),
            CloneUrl: String(source, "git_http_url", "object_attributes.source.git_http_url"),
            UpdatedAt: Time(OptionalString(attributes, "updated_at")))
        {
            Origin = MergeRequestOriginFields.Read(root, attributes, source),
        });
    }

    /// <summary>GitLab writes <c>2013-12-03T17:23:34Z</c> in some hooks and <c>2021-09-27 05:01:21 UTC</c> in others.</summary>
    internal static DateTimeOffset? Time(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (t.EndsWith(" UTC", StringComparison.Ordinal)) t = t[..^4] + "Z";
        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string? path = null) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == kind ? v
        : throw new WebhookPayloadException(path ?? name, v.ValueKind == JsonValueKind.Undefined || v.ValueKind == JsonValueKind.Null ? "is missing" : $"must be {kind.ToString().ToLowerInvariant()}");

    private static string String(JsonElement parent, string name, string path) =>
        Required(parent, name, JsonValueKind.String, path).GetString() is { Length: > 0 } s ? s : throw new WebhookPayloadException(path, "is empty");

    private static long Number(JsonElement parent, string name, string path) =>
        Required(parent, name, JsonValueKind.Number, path).TryGetInt64(out var n) && n > 0 ? n : throw new WebhookPayloadException(path, "must be a positive integer");

    private static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Flag(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
