using System.Text.Json;
using ReviewBot.Functions.Storage;
using ReviewBot.Functions.Webhooks;

namespace ReviewBot.Functions.GitLab.Webhooks;

/// <summary>The caps of <see cref="FieldLimits"/> on a merge request hook's fields, and the checks on its values that
/// .NET would otherwise answer with an exception (a 500): an iid beyond <see cref="int"/>, text that is not UTF-16.</summary>
internal static class MergeRequestHookLimits
{
    public static MergeRequestHook Check(MergeRequestHook hook)
    {
        Cap("project.path_with_namespace", hook.Repository, FieldLimits.Repository);
        Cap("object_attributes.source.git_http_url", hook.CloneUrl, FieldLimits.CloneUrl);
        Cap("object_attributes.source_branch", hook.SourceBranch, FieldLimits.Ref);
        Cap("object_attributes.target_branch", hook.TargetBranch, FieldLimits.Ref);
        Cap("object_attributes.last_commit.id", hook.HeadSha, FieldLimits.Sha);
        Cap("object_attributes.oldrev", hook.OldRev, FieldLimits.Sha);
        Cap("object_attributes.action", hook.Action, FieldLimits.Name);
        Cap("object_attributes.state", hook.State, FieldLimits.Name);
        return hook;
    }

    /// <summary>The iid as the protocol's <c>int</c>, refused (not wrapped, not thrown) beyond it.</summary>
    public static int Iid(long iid) => iid <= FieldLimits.MaxNumber
        ? (int)iid
        : throw new WebhookPayloadException("object_attributes.iid", $"is {iid}; a merge request iid is between 1 and {FieldLimits.MaxNumber}");

    /// <summary>A JSON string's text; a lone surrogate (<c>"\ud800"</c>) is valid JSON but no text.</summary>
    public static string? Text(JsonElement value, string path)
    {
        try { return value.GetString(); }
        catch (InvalidOperationException) { throw new WebhookPayloadException(path, "is not valid text (a lone UTF-16 surrogate)"); }
    }

    private static void Cap(string field, string? value, int max)
    {
        if (FieldLimits.Exceeds(value, max) is { } problem) throw new WebhookPayloadException(field, problem);
    }
}
