using System.Globalization;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

/// <summary>Reading open merge requests and their review state (for the reminders). The project is its id or its
/// full path ("group/subgroup/project"), URL-encoded as GitLab asks.</summary>
public sealed partial class GitLabClient
{
    private static string Project(string project) => $"projects/{Uri.EscapeDataString(project)}";

    private static string Mr(string project, long iid) => string.Create(CultureInfo.InvariantCulture, $"{Project(project)}/merge_requests/{iid}");

    /// <summary>Every open merge request (all pages).</summary>
    public Task<IReadOnlyList<GitLabMergeRequestDetails>> ListOpenMergeRequestsAsync(string project, CancellationToken ct) =>
        ListAsync<GitLabMergeRequestDetails>($"{Project(project)}/merge_requests?state=opened&order_by=created_at&sort=asc", ct);

    /// <summary>One merge request with <c>head_pipeline</c> and a fresh <c>detailed_merge_status</c>.</summary>
    public Task<GitLabMergeRequestDetails> GetMergeRequestDetailsAsync(string project, long iid, CancellationToken ct) =>
        SendAsync<GitLabMergeRequestDetails>(HttpMethod.Get, Mr(project, iid), null, ct);

    public Task<GitLabApprovals> GetApprovalsAsync(string project, long iid, CancellationToken ct) =>
        SendAsync<GitLabApprovals>(HttpMethod.Get, $"{Mr(project, iid)}/approvals", null, ct);

    public Task<IReadOnlyList<GitLabReviewer>> ListReviewersAsync(string project, long iid, CancellationToken ct) =>
        ListAsync<GitLabReviewer>($"{Mr(project, iid)}/reviewers", ct);

    /// <summary>The newest commit of the merge request (GitLab lists them newest first), or null.</summary>
    public async Task<GitLabCommit?> GetLatestCommitAsync(string project, long iid, CancellationToken ct)
    {
        using var response = await http.GetAsync($"{Mr(project, iid)}/commits?per_page=1&page=1", ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<List<GitLabCommit>>(GitLabJson.Options, ct))?.FirstOrDefault();
    }

    public Task<IReadOnlyList<GitLabNoteEntry>> ListNoteEntriesAsync(string project, long iid, CancellationToken ct) =>
        ListAsync<GitLabNoteEntry>($"{Mr(project, iid)}/notes?sort=asc&order_by=created_at", ct);

    /// <summary>The failed jobs of a pipeline (all pages).</summary>
    public Task<IReadOnlyList<GitLabJob>> ListFailedJobsAsync(string project, long pipelineId, CancellationToken ct) =>
        ListAsync<GitLabJob>(string.Create(CultureInfo.InvariantCulture, $"{Project(project)}/pipelines/{pipelineId}/jobs?scope[]=failed"), ct);
}
