using System.Net;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.Reminders;
using ReviewBot.Functions.Reminders.Analysis;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reminders;

/// <summary>
/// Open merge requests of a GitLab project through the REST API: the open list (every page), then per merge request
/// its details (head pipeline, fresh merge status), approvals, reviewers, newest commit, and only when needed the
/// failed jobs of a failed pipeline and the notes (for when changes were requested), neither for a draft. A merge request whose merge status
/// is still being computed is read once more after <see cref="ReminderAnalysisOptions.MergeabilityRecheckDelay"/>.
/// </summary>
public sealed class GitLabMergeRequestReader(
    IHttpClientFactory http,
    IOptions<GitLabOptions> gitlab,
    IOptions<ReminderAnalysisOptions> options,
    TimeProvider time,
    ILogger<GitLabMergeRequestReader> logger) : ICodeHostReader
{
    public string Host => "gitlab";

    public async Task<IReadOnlyList<PullRequestSnapshot>> ListOpenAsync(string repository, CancellationToken ct)
    {
        if (!gitlab.Value.HasApi)
            throw new InvalidOperationException("GitLab is not configured: set ReviewBot:GitLab:Url and Token to read merge requests.");
        var client = GitLabRegistration.Client(http);
        var open = await client.ListOpenMergeRequestsAsync(repository, ct);
        var result = new List<PullRequestSnapshot>(open.Count);
        foreach (var mr in open)
            result.Add(await ReadAsync(client, repository, mr.Iid, ct));

        var unknown = result.Select((p, i) => (p, i)).Where(x => x.p.Mergeability == Mergeability.Unknown && !x.p.Draft).ToList();
        if (unknown.Count > 0)
        {
            AnalysisLog.MergeabilityUnknown(logger, repository, unknown.Count);
            await Task.Delay(options.Value.MergeabilityRecheckDelay, time, ct);
            foreach (var (p, i) in unknown)
                result[i] = await ReadAsync(client, repository, p.Number, ct);
        }
        return result;
    }

    private static async Task<PullRequestSnapshot> ReadAsync(GitLabClient client, string repository, long iid, CancellationToken ct)
    {
        var mr = await client.GetMergeRequestDetailsAsync(repository, iid, ct);
        var approvals = await client.GetApprovalsAsync(repository, iid, ct);
        IReadOnlyList<GitLabReviewer> reviewers;
        try
        {
            reviewers = await client.ListReviewersAsync(repository, iid, ct);
        }
        catch (GitLabApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            // Before GitLab 15.3 there is no reviewers endpoint: the merge request's reviewers, none answered yet.
            reviewers = [.. (mr.Reviewers ?? []).Select(u => new GitLabReviewer(u, "unreviewed", null))];
        }
        var commit = await client.GetLatestCommitAsync(repository, iid, ct);
        // A draft blocks nobody whatever else holds: its failed jobs and change requests are not needed.
        var draft = mr.Draft || mr.WorkInProgress;
        var failedJobs = !draft && mr.HeadPipeline is { Status: "failed" } pipeline
            ? await client.ListFailedJobsAsync(repository, pipeline.Id, ct)
            : [];
        var notes = !draft && reviewers.Any(r => string.Equals(r.State, "requested_changes", StringComparison.OrdinalIgnoreCase))
            ? await client.ListNoteEntriesAsync(repository, iid, ct)
            : [];
        return GitLabMergeRequestMapping.Map(repository, mr, approvals, reviewers, commit, failedJobs, notes);
    }
}
