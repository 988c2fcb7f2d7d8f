using ReviewBot.Core;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>The caps of <see cref="FieldLimits"/> on a merge request hook's fields, and its iid within the protocol's
/// <see cref="int"/> (a checked cast would answer with an exception, a 500). Text that is no text is refused earlier,
/// for every hook (<see cref="WebhookText"/>).</summary>
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

    private static void Cap(string field, string? value, int max)
    {
        if (FieldLimits.Exceeds(value, max) is { } problem) throw new WebhookPayloadException(field, problem);
    }
}
