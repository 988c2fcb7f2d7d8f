using Microsoft.Extensions.Options;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>
/// A merge request hook as a <see cref="ChangeRequest"/>. The hook carries no base commit: with an API token it is read
/// from the merge request's <c>diff_refs.base_sha</c> (the merge base GitLab diffs against, so the agent's three-dot
/// diff is the one GitLab shows). Without a token, or when that read fails, <see cref="ChangeRequest.BaseSha"/> stays
/// null and only the target branch is set: the agent then has no diff base and lints every file of the head commit,
/// and the report (which needs the token anyway) filters the findings with the merge request's diff from the API.
/// The trust facts of a fork's merge request need the API too (<see cref="GitLabMembers"/>).
/// </summary>
public sealed partial class MergeRequestChanges(GitLabClient gitlab, IOptions<GitLabOptions> options, GitLabMembers members, ILogger<MergeRequestChanges> log)
{
    /// <param name="allowLocal">What <see cref="GitLabSource.CheckMergeRequest"/> said of the hook's clone URL.</param>
    public async Task<ChangeRequest> FromAsync(MergeRequestHook hook, string deliveryId, bool allowLocal, CancellationToken ct) => new()
    {
        Host = CodeHostNames.GitLab,
        Repository = hook.Repository,
        Number = hook.Iid,
        Name = $"{hook.Repository}!{hook.Iid}",
        ProjectId = hook.ProjectId,
        HeadSha = hook.HeadSha,
        HeadRef = hook.SourceBranch,
        BaseSha = await BaseShaAsync(hook, ct),
        BaseRef = hook.TargetBranch,
        CloneUrl = hook.CloneUrl,
        AllowLocal = allowLocal,
        UpdatedAt = hook.UpdatedAt,
        Trigger = $"gitlab merge_request.{hook.Action} !{hook.Iid}",
        DeliveryId = deliveryId,
        Origin = await members.OriginAsync(hook, ct), // forks of non-developers (Trust/)
        TaskIdFor = linter => TaskIds.ForMergeRequest(hook.ProjectId, hook.Iid, hook.HeadSha, linter),
    };

    private async Task<string?> BaseShaAsync(MergeRequestHook hook, CancellationToken ct)
    {
        if (!options.Value.HasApi) return null;
        try
        {
            // diff_refs is null for a moment after a merge request is opened, while GitLab computes its diff.
            var mr = await gitlab.GetMergeRequestAsync(hook.ProjectId, hook.Iid, ct);
            return mr.DiffRefs?.BaseSha is { Length: > 0 } sha ? sha : null;
        }
        catch (Exception e) when (e is GitLabApiException or HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
        {
            LogBaseUnknown(log, hook.Repository, hook.Iid, e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 620, Level = LogLevel.Warning, Message = "No base commit for {Repository}!{Iid}; the agent lints the whole head commit: {Reason}")]
    private static partial void LogBaseUnknown(ILogger logger, string repository, int iid, string reason);
}
