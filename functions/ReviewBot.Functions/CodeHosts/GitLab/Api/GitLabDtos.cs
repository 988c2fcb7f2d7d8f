using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

/// <summary>The three commits a diff position refers to: <c>base_sha</c> (merge base), <c>start_sha</c> (target
/// branch head when the diff was made) and <c>head_sha</c> (source branch head).</summary>
public sealed record GitLabDiffRefs(string? BaseSha, string? HeadSha, string? StartSha);

public sealed record GitLabMergeRequest(long Iid, string? Sha, string? State, GitLabDiffRefs? DiffRefs);

/// <summary>Where a diff note sits. <c>new_line</c> alone for an added line, <c>old_line</c> alone for a removed
/// one, both for an unchanged (context) line.</summary>
public sealed record GitLabPosition(
    string PositionType, string BaseSha, string StartSha, string HeadSha,
    string? OldPath, string? NewPath, int? OldLine, int? NewLine);

public sealed record GitLabNote(long Id, string? Body, bool System, bool Resolvable, bool Resolved, string? Type, GitLabPosition? Position);

public sealed record GitLabDiscussion(string Id, bool IndividualNote, IReadOnlyList<GitLabNote> Notes);

/// <summary>One file of a merge request's diff (<c>GET …/merge_requests/:iid/diffs</c>).</summary>
public sealed record GitLabFileDiff(string OldPath, string NewPath, string? Diff, bool NewFile, bool RenamedFile, bool DeletedFile);

public sealed record GitLabCommitStatus(long Id, string Status, string Name);

/// <summary>Commit status states GitLab accepts.</summary>
public static class GitLabStates
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
}

internal static class GitLabJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
