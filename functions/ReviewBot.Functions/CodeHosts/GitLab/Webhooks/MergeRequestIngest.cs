using Microsoft.Extensions.Options;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Reporting;
using ReviewBot.Functions.Tasks;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>
/// A merge request hook becomes one task per linter that applies to the project, like a GitHub pull request. The
/// hook carries no base commit: with an API token it is read from the merge request's <c>diff_refs.base_sha</c>
/// (the merge base GitLab diffs against, so the agent's three-dot diff is the one GitLab shows). Without a token, or
/// when that read fails, <see cref="ReviewTask.BaseSha"/> stays null and only <see cref="ReviewTask.BaseRef"/> (the
/// target branch) is set: the agent then has no diff base and lints every file of the head commit, and the reporter
/// (which needs the token anyway) filters the findings with the merge request's diff from the API.
/// </summary>
public sealed partial class MergeRequestIngest(
    ReviewConfig config,
    TaskCoordinator tasks,
    ReportPublisher reports,
    WebhookSource sources,
    GitLabClient gitlab,
    IOptions<GitLabOptions> options,
    GitLabMembers members,
    Functions.Trust.TrustGate trust,
    TimeProvider time,
    ILogger<MergeRequestIngest> log)
{
    public async Task<IngestOutcome> IngestAsync(MergeRequestHook hook, string deliveryId, CancellationToken ct)
    {
        var allowLocal = sources.CheckMergeRequest(hook);
        var linters = config.LintersFor(hook.Repository);
        if (linters.Count == 0) return new IngestOutcome([], 0, 0);
        var baseSha = await BaseShaAsync(hook, ct);
        var gate = await trust.DecideAsync(await members.OriginAsync(hook, ct), ct); // forks of non-developers (Trust/)
        var now = time.GetUtcNow();
        var ids = new List<string>();
        var created = 0;
        foreach (var linter in linters)
        {
            var task = new ReviewTask
            {
                Id = TaskIds.ForMergeRequest(hook.ProjectId, hook.Iid, hook.HeadSha, linter.Name),
                Repository = hook.Repository,
                CloneUrl = hook.CloneUrl,
                AllowLocal = allowLocal,
                PullRequest = hook.Iid,
                HeadSha = hook.HeadSha,
                HeadRef = hook.SourceBranch,
                BaseSha = baseSha,
                BaseRef = hook.TargetBranch,
                Linter = new ReviewBot.Contracts.Agents.LinterSpec(linter.Name, linter.Command, linter.Args, linter.Env, linter.WorkDir, linter.Format, linter.Languages, linter.Timeout),
                NodeLabels = linter.NodeLabels.Text,
                Trigger = $"gitlab merge_request.{hook.Action} !{hook.Iid}",
                DeliveryId = deliveryId,
                SourceUpdatedAt = hook.UpdatedAt,
                CreatedAt = now,
                Host = CodeHostNames.GitLab,
                ProjectId = hook.ProjectId,
                Report = linter.Report,
                Reporting = reports.WhyNotReported(CodeHostNames.GitLab, linter.Report) is { } why ? ReportProgress.Off(why) : new(),
            };
            if (await tasks.CreateAsync(gate.Apply(task), ct)) created++;
            ids.Add(task.Id);
        }
        // After the new tasks exist, so that a crash in between leaves work to do rather than none.
        var superseded = await tasks.SupersedeAsync(hook.Repository, hook.Iid, hook.HeadSha, hook.UpdatedAt, ct, CodeHostNames.GitLab);
        return new IngestOutcome(ids, created, superseded) { Waiting = gate.Verdict == Functions.Trust.TrustVerdict.Wait ? gate.Reason : null };
    }

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
