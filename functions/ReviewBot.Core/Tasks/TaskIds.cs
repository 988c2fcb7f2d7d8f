using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.Core.Tasks;

/// <summary>Deterministic task ids: the same work always gets the same id, so a redelivery or a second instance
/// creates nothing new. Lower-case hex, safe as a Table key.</summary>
public static class TaskIds
{
    public static string ForPullRequest(string repository, int pullRequest, string headSha, string linter) =>
        "pr-" + Hash($"{repository.ToLowerInvariant()}\n{pullRequest}\n{headSha.ToLowerInvariant()}\n{linter}");

    /// <summary>A GitLab merge request: keyed by the host and the numeric project id (stable across renames), so it
    /// never collides with a GitHub pull request of a repository with the same path.</summary>
    public static string ForMergeRequest(long projectId, int iid, string headSha, string linter) =>
        "mr-" + Hash($"gitlab\n{projectId}\n{iid}\n{headSha.ToLowerInvariant()}\n{linter}");

    /// <summary>A re-run of <paramref name="originalId"/> asked for by one delivery (or one user action): a
    /// redelivery of the same request creates nothing new.</summary>
    public static string ForRerun(string originalId, string requestId) => "rr-" + Hash($"{originalId}\n{requestId}");

    /// <summary>A job's run for one firing (a cron tick, a delivery, a run-now request); <paramref name="attempt"/> &gt; 0
    /// for its retries.</summary>
    public static string ForJob(string job, string firingKey, int attempt = 0) =>
        "job-" + Hash($"{job}\n{firingKey}" + (attempt > 0 ? $"\n{attempt}" : ""));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
}
