using System.Text.Json;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>
/// The fields of a GitLab <c>Note Hook</c> that approvals use (Trust/OkToTestNoteIngest.cs). <see cref="Parse"/> names
/// the missing or mistyped field (<see cref="WebhookPayloadException"/>, answered with 400). <see cref="Iid"/> and
/// <see cref="State"/> are read only for a note on a merge request.
/// </summary>
/// <param name="NoteableType"><c>object_attributes.noteable_type</c>: MergeRequest, Issue, Commit, Snippet.</param>
/// <param name="Action"><c>object_attributes.action</c>: create or update; "" when the hook (older GitLab) has none.</param>
/// <param name="System">A note GitLab wrote itself ("added 1 commit"), not a person.</param>
public sealed record NoteHook(
    long ProjectId, string Repository, string NoteableType, string Action, bool System, string Note, long UserId, string Username, int Iid, string State)
{
    public static NoteHook Parse(ReadOnlySpan<byte> body)
    {
        using var doc = JsonDocument.Parse(body.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new WebhookPayloadException("body", "is not a JSON object");
        var kind = Optional(root, "object_kind");
        if (kind is not null && kind != "note") throw new WebhookPayloadException("object_kind", $"is '{kind}', not 'note'");
        var project = Required(root, "project", "project");
        var attributes = Required(root, "object_attributes", "object_attributes");
        var user = Required(root, "user", "user");
        var type = Optional(attributes, "noteable_type") ?? throw new WebhookPayloadException("object_attributes.noteable_type", "is missing");
        var onMergeRequest = type == "MergeRequest";
        var mr = onMergeRequest ? Required(root, "merge_request", "merge_request") : default;
        return new NoteHook(
            ProjectId: Number(project, "id", "project.id"),
            Repository: Optional(project, "path_with_namespace") ?? throw new WebhookPayloadException("project.path_with_namespace", "is missing"),
            NoteableType: type,
            Action: Optional(attributes, "action") ?? "",
            System: attributes.TryGetProperty("system", out var s) && s.ValueKind == JsonValueKind.True,
            Note: Optional(attributes, "note") ?? "",
            UserId: Number(user, "id", "user.id"),
            Username: Optional(user, "username") ?? throw new WebhookPayloadException("user.username", "is missing"),
            Iid: onMergeRequest ? (int)Number(mr, "iid", "merge_request.iid") : 0,
            State: onMergeRequest ? Optional(mr, "state") ?? "" : "");
    }

    private static JsonElement Required(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v
        : throw new WebhookPayloadException(path, v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "is missing" : "must be an object");

    private static string? Optional(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static long Number(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n > 0 && (name != "iid" || n <= int.MaxValue) ? n
        : throw new WebhookPayloadException(path, name == "iid" ? "must be a positive integer (at most 2147483647)" : "must be a positive integer");
}
