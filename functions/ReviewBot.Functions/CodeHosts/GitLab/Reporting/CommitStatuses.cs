using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reporting;

/// <summary>
/// One commit status per linter on the head commit, named <c>reviewbot/{linter}</c>: pending while queued, running,
/// then success, failed or canceled. GitLab refuses to set a status to the state it already has (400 "Cannot
/// transition status via :run from :running"); that happens when a stage is published again after a crash, and
/// counts as done.
/// </summary>
public static class CommitStatuses
{
    /// <summary>Kept short: GitLab shows the description on one line.</summary>
    public const int MaxDescription = 140;

    public static string Name(ReviewTask task) => $"reviewbot/{task.Linter.Name}";

    public static string State(Conclusion c) => c switch
    {
        Conclusion.Success or Conclusion.Neutral or Conclusion.Skipped => GitLabStates.Success,
        Conclusion.Cancelled => GitLabStates.Canceled,
        _ => GitLabStates.Failed, // failure, timed out
    };

    public static async Task SetAsync(GitLabClient client, ReviewTask task, string state, string description, string? link, CancellationToken ct)
    {
        var project = task.ProjectId ?? throw new InvalidOperationException($"Task {task.Id} has no GitLab project id.");
        var text = description.Length <= MaxDescription ? description : description[..(MaxDescription - 1)] + "…";
        try
        {
            await client.SetCommitStatusAsync(project, task.HeadSha, state, Name(task), link, text, ct);
        }
        catch (GitLabApiException e) when (e.Status == System.Net.HttpStatusCode.BadRequest
                                           && e.ApiMessage.Contains("Cannot transition status", StringComparison.OrdinalIgnoreCase))
        {
            // Already in that state (a repeated publish).
        }
    }
}
