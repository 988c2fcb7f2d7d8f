using Octokit;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>
/// The fallback when the credentials cannot create check runs (a token rather than an App): one commit status per
/// linter, context <c>reviewbot/{linter}</c>, pending while queued and running, then success or failure. A status
/// has no annotations; the findings are in the review and the task's page.
/// </summary>
public static class CommitStatusPublisher
{
    /// <summary>GitHub refuses a longer description.</summary>
    public const int MaxDescription = 140;

    public static string Context(ReviewTask task) => $"reviewbot/{task.Linter.Name}";

    public static Task QueuedAsync(IGitHubClient client, RepoName repo, ReviewTask task, string? link) =>
        SetAsync(client, repo, task, CommitState.Pending, "Waiting for an agent", link);

    public static Task ActionRequiredAsync(IGitHubClient client, RepoName repo, ReviewTask task, string? link) =>
        SetAsync(client, repo, task, CommitState.Pending, ReportText.WaitingLine(task), link);

    public static Task InProgressAsync(IGitHubClient client, RepoName repo, ReviewTask task, string? link) =>
        SetAsync(client, repo, task, CommitState.Pending, $"Running on {task.NodeName ?? "an agent"}", link);

    public static Task CompletedAsync(IGitHubClient client, RepoName repo, ReviewTask task, ReportPlan plan, string? link) =>
        SetAsync(client, repo, task, State(plan.Conclusion), ReportText.Title(task, plan), link);

    internal static CommitState State(Conclusion c) => c switch
    {
        Conclusion.Success or Conclusion.Neutral or Conclusion.Skipped => CommitState.Success,
        Conclusion.Failure => CommitState.Failure,
        _ => CommitState.Error, // cancelled, timed out: the linter's verdict is unknown
    };

    private static Task SetAsync(IGitHubClient client, RepoName repo, ReviewTask task, CommitState state, string description, string? link) =>
        client.Repository.Status.Create(repo.Owner, repo.Name, task.HeadSha, new NewCommitStatus
        {
            State = state,
            Context = Context(task),
            Description = description.Length <= MaxDescription ? description : description[..(MaxDescription - 1)] + "…",
            TargetUrl = link,
        });
}
