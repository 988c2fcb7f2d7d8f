using System.Text.Json;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>
/// The fields of a merge request hook the trust policy needs: <c>object_attributes.author_id</c>,
/// <c>source_project_id</c> and <c>target_project_id</c> (different for a merge request from a fork), the source
/// project's path, and the <c>user</c> who caused the event (its username names the author when it is the author).
/// A field missing or of another type is null: the policy then treats the merge request as untrusted.
/// </summary>
public sealed record MergeRequestOriginFields(long? AuthorId, long? SourceProjectId, long? TargetProjectId, string? SourcePath, long? UserId, string? Username)
{
    public static MergeRequestOriginFields Unknown { get; } = new(null, null, null, null, null, null);

    /// <summary>From a merge request that is a fork's, or whose origin the hook does not say.</summary>
    public bool FromFork => SourceProjectId is null || SourceProjectId != TargetProjectId;

    /// <summary>The author's name as far as the hook tells: the event's user when that is the author.</summary>
    public string Author => AuthorId is { } id ? UserId == id && Username is { Length: > 0 } name ? name : $"user #{id}" : "(unknown author)";

    internal static MergeRequestOriginFields Read(JsonElement root, JsonElement attributes, JsonElement source)
    {
        var user = root.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
        return new(Id(attributes, "author_id"), Id(attributes, "source_project_id"), Id(attributes, "target_project_id"),
            Text(source, "path_with_namespace"), Id(user, "id"), Text(user, "username"));
    }

    private static long? Id(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
        && v.TryGetInt64(out var n) && n > 0 ? n : null;

    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
