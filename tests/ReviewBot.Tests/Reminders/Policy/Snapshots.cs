using ReviewBot.Functions.Reminders;

namespace ReviewBot.Tests.Reminders.Policy;

/// <summary>Pull requests and their blockings for reminder tests.</summary>
public static class Snapshots
{
    public static Blocking Blocked(string repository, int number, BlockReason reason, string[] on, DateTimeOffset created, DateTimeOffset activity, string author = "author1") =>
        new(new PullRequestSnapshot("github", repository, number, $"Change {number}", $"https://github.com/{repository}/pull/{number}", author,
                reason == BlockReason.Draft, Mergeability.Mergeable, CiState.Success, [], [], [], [], new Dictionary<string, IReadOnlyList<string>>(),
                false, created, activity, activity),
            reason, on, activity, []);

    /// <summary>The same pull request with new activity (a push, a comment).</summary>
    public static Blocking Touched(this Blocking b, DateTimeOffset at) =>
        b with { PullRequest = b.PullRequest with { LastActivityAt = at, LastCommitAt = at } };
}
